/**
 * PRAGMA quick_check / integrity_check in a worker thread, so the CLI can show progress (and the
 * HTTP server keep answering) while a big database is read end to end. Read-only connection.
 */
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

export interface IntegrityResult {
  mode: "quick_check" | "integrity_check";
  ok: boolean;
  /** SQLite's complaints (at most `maxErrors`), or the error that stopped the check. */
  problems: string[];
  /** Set when the check could not run (the file could not be opened or read): not evidence of corruption. */
  error?: { code: string; message: string };
  ms: number;
}

// Plain CommonJS: a worker does not inherit tsx's loader, so it must not import our TypeScript.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  const rows = db.pragma(workerData.mode + "(" + workerData.maxErrors + ")");
  parentPort.postMessage({ problems: rows.map((r) => String(Object.values(r)[0])).filter((r) => r !== "ok") });
} catch (e) {
  const message = String(e && e.message || e);
  const code = String(e && e.code || "ERROR");
  // SQLite says so when the file itself is damaged; anything else (full, read-only, busy, I/O) kept it from running
  if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB") parentPort.postMessage({ problems: [message] });
  else parentPort.postMessage({ problems: [message], error: { code, message } });
} finally {
  try { db && db.close(); } catch {}
}`;

export function checkIntegrity(path: string, opts: { full?: boolean; maxErrors?: number } = {}): Promise<IntegrityResult> {
  const mode = opts.full ? "integrity_check" : "quick_check";
  const started = performance.now();
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, mode, maxErrors: opts.maxErrors ?? 20 } });
    let settled = false;
    const finish = (problems: string[], error?: IntegrityResult["error"]) => {
      if (settled) return;
      settled = true;
      resolve({ mode, ok: problems.length === 0, problems, ms: performance.now() - started, ...(error ? { error } : {}) });
    };
    worker.once("message", (m: { problems: string[]; error?: IntegrityResult["error"] }) => finish(m.problems, m.error));
    worker.once("error", (e) => finish([`integrity check crashed: ${e.message}`]));
    worker.once("exit", (code) => finish([`integrity check ended without a result (worker exit code ${code})`]));
  });
}

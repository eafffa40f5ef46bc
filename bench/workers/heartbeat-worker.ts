/**
 * One heartbeat writer process for bench/heartbeat.ts (forked with IPC).
 * "ours": SharedState.updateHeartbeat in a tight loop (mutex + flock + BEGIN IMMEDIATE).
 * "baseline": plain better-sqlite3 (WAL, synchronous=NORMAL, busy_timeout), BEGIN IMMEDIATE +
 * the same UPDATE statement, no extra lock.
 * Protocol: open → ready; go → result (count, errors by name, per-call latencies in ms).
 */
import Database from "better-sqlite3";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { heartbeatParams } from "../../src/storage/sqlite/rows.js";
import { prepareStatements } from "../../src/storage/sqlite/statements.js";

export type WorkerMode = "ours" | "baseline";
export type ToWorker =
  | { type: "open"; mode: WorkerMode; path: string; name: string; busyTimeoutMs: number }
  | { type: "go"; durationMs: number }
  | { type: "exit" };
export type FromWorker =
  | { type: "ready" }
  | { type: "result"; count: number; errors: Record<string, number>; latencies: number[]; elapsedMs: number }
  | { type: "failed"; message: string };

type Beat = () => Promise<void> | void;
let beat: Beat | undefined;
let close: (() => Promise<void> | void) | undefined;
let agent = "";

const send = (m: FromWorker) => process.send!(m);

async function open(m: Extract<ToWorker, { type: "open" }>): Promise<void> {
  agent = m.name;
  if (m.mode === "ours") {
    const store = await SharedState.open({ path: m.path });
    beat = () => store.updateHeartbeat(agent);
    close = () => store.close();
  } else {
    const db = new Database(m.path);
    db.pragma(`busy_timeout = ${m.busyTimeoutMs}`);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    const update = prepareStatements(db).heartbeatLive; // what SharedState.updateHeartbeat runs
    const begin = db.prepare("BEGIN IMMEDIATE");
    const commit = db.prepare("COMMIT");
    beat = () => {
      begin.run();
      try {
        update.run(heartbeatParams(agent, Date.now()));
        commit.run();
      } catch (e) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw e;
      }
    };
    close = () => {
      db.close();
    };
  }
}

async function go(durationMs: number): Promise<void> {
  const latencies: number[] = [];
  const errors: Record<string, number> = {};
  let count = 0;
  const t0 = performance.now();
  const end = t0 + durationMs;
  for (let now = t0; now < end; ) {
    try {
      await beat!();
      count++;
    } catch (e) {
      const key = `${(e as Error).name}${(e as { code?: string }).code ? ":" + (e as { code?: string }).code : ""}`;
      errors[key] = (errors[key] ?? 0) + 1;
    }
    const after = performance.now();
    latencies.push(after - now);
    now = after;
  }
  const elapsedMs = performance.now() - t0;
  await close?.();
  send({ type: "result", count, errors, latencies, elapsedMs });
}

process.on("message", (m: ToWorker) => {
  const job = m.type === "open" ? open(m).then(() => send({ type: "ready" })) : m.type === "go" ? go(m.durationMs) : Promise.resolve(process.exit(0));
  job.catch((e: unknown) => send({ type: "failed", message: (e as Error)?.stack ?? String(e) }));
});

/**
 * Latency probe: a few timed reads on a read-only connection, then one write the way agents write
 * (state lock, then BEGIN IMMEDIATE), so a held lock or a connection stuck in a write shows up as
 * LOCK_TIMEOUT / SQLITE_BUSY instead of a hang. The write upserts one `system_state` row
 * (`diagnostics.probe`) and nothing else.
 * The lock is the agents' own FileStateLock: its wait polls, so a stuck holder ends in a
 * LockTimeoutError and never keeps the diagnosing process alive.
 */
import Database from "better-sqlite3";
import { isLockTimeoutError, isSqliteBusy } from "../errors/index.js";
import type { Db } from "../storage/sqlite/index.js";
import { FileStateLock } from "../locking/index.js";

export interface ReadProbe {
  samples: number;
  p50Ms: number;
  maxMs: number;
}

export interface WriteProbe {
  ok: boolean;
  /** Time to get the state lock. */
  lockMs?: number;
  /** Time of the BEGIN IMMEDIATE ... COMMIT itself. */
  writeMs?: number;
  /** "LOCK_TIMEOUT", "SQLITE_BUSY" or another error code. */
  errorCode?: string;
  error?: string;
}

export function probeReads(db: Db, samples = 5): ReadProbe {
  const stmts = [db.prepare(`SELECT count(*) AS n FROM agents`), db.prepare(`SELECT * FROM agents ORDER BY last_heartbeat DESC LIMIT 1`)];
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    stmts[i % stmts.length]!.all();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { samples, p50Ms: times[Math.floor(times.length / 2)]!, maxMs: times[times.length - 1]! };
}

export async function probeWrite(path: string, timeoutMs: number): Promise<WriteProbe> {
  let lock: FileStateLock | undefined;
  let db: Db | undefined;
  let started = performance.now();
  let lockMs: number | undefined;
  try {
    lock = new FileStateLock(`${path}.lock`, { timeoutMs }); // opening it fails on a read-only file system
    db = new Database(path, { fileMustExist: true });
    db.pragma(`busy_timeout = ${Math.round(timeoutMs)}`);
    const conn = db;
    const upsert = conn.prepare(
      `INSERT INTO system_state (key, value, updated_at) VALUES ('diagnostics.probe', @value, @now)
       ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    const tx = conn.transaction(() => upsert.run({ value: JSON.stringify({ pid: process.pid, at: new Date().toISOString() }), now: Date.now() }));
    started = performance.now();
    const writeMs = await lock.run(() => {
      lockMs = performance.now() - started;
      const t = performance.now();
      tx.immediate();
      return performance.now() - t;
    });
    return { ok: true, lockMs, writeMs };
  } catch (e) {
    const errorCode = isLockTimeoutError(e) ? "LOCK_TIMEOUT" : isSqliteBusy(e) ? "SQLITE_BUSY" : String((e as { code?: unknown }).code ?? "ERROR");
    return { ok: false, lockMs, errorCode, error: (e as Error).message };
  } finally {
    db?.close();
    lock?.close();
  }
}

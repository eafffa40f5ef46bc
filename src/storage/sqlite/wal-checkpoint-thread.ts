/**
 * The WAL checkpoint thread (wal-checkpoints.ts): its own connection to the database, so the
 * checkpoint's page copies and its two fsyncs run beside the event loop, not on it.
 * Request { id, mode } → { id, result } or { id, error }; { close: true } closes the connection.
 */
import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";

type Request = { id: number; mode: "PASSIVE" | "RESTART" } | { close: true };

const port = parentPort!;
const { path, busyTimeoutMs } = workerData as { path: string; busyTimeoutMs: number };
let db: Database.Database;
try {
  db = new Database(path, { fileMustExist: true });
  db.pragma(`busy_timeout = ${busyTimeoutMs}`);
  db.pragma("wal_autocheckpoint = 0");
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ failed: (e as Error).message });
  port.close();
}

port.on("message", (m: Request) => {
  if ("close" in m) {
    db.close();
    port.close();
    return;
  }
  try {
    const [result] = db.pragma(`wal_checkpoint(${m.mode})`) as { busy: number; log: number; checkpointed: number }[];
    port.postMessage({ id: m.id, result });
  } catch (e) {
    port.postMessage({ id: m.id, error: (e as Error).message });
  }
});

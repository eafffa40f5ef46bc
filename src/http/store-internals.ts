/**
 * Optional extras a StateStore may have (SharedState has them): the DB file path, its lock and the
 * better-sqlite3 handle, plus the fleet's `perf` store. The server uses them for sizes, lock latency,
 * cheap change detection and metrics, and works (with less) when they are absent.
 */
import type { Db, StateStore } from "../storage/index.js";
import type { StateLock } from "../locking/index.js";

export interface StoreExtras {
  path?: string;
  lock?: StateLock;
  db?: Db;
  perf?: unknown;
}

export function extrasOf(store: StateStore): StoreExtras {
  const s = store as StateStore & Partial<StoreExtras>;
  const db = s.db && typeof (s.db as Db).prepare === "function" ? s.db : undefined;
  const lock = s.lock && typeof s.lock.run === "function" ? s.lock : undefined;
  return { path: typeof s.path === "string" ? s.path : undefined, lock, db, perf: s.perf };
}

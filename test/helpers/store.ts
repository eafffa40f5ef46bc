/** Opens a SharedState on a fresh SQLite file in a temp dir (closed by closeStores() in afterEach). */
import { join } from "node:path";
import type { Clock } from "../../src/clock/index.js";
import { SharedState, type SharedStateOptions } from "../../src/storage/sqlite/index.js";
import { makeTempDir } from "./temp-dir.js";

const open: SharedState[] = [];

export async function openTestStore(opts: Partial<SharedStateOptions> & { clock?: Clock } = {}): Promise<SharedState> {
  const path = opts.path ?? join(makeTempDir(), "state.db");
  const store = await SharedState.open({ lockTimeoutMs: 5_000, ...opts, path });
  open.push(store);
  return store;
}

export async function closeStores(): Promise<void> {
  for (const s of open.splice(0)) await s.close();
}

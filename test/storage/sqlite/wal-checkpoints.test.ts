/**
 * WAL checkpoints (src/storage/sqlite/wal-checkpoints.ts): not inside a write's COMMIT (SQLite's
 * own is off), every `everyRows` rows after the write, on a thread once the store is busy, a
 * RESTART under the state lock when the WAL has grown past its bound, and nothing lost.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState, type SharedStateOptions } from "../../../src/storage/sqlite/index.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

const store = (walCheckpoints: SharedStateOptions["walCheckpoints"]) => openTestStore({ walCheckpoints });

const turn = () => new Promise<void>((r) => setImmediate(r));
const names = (n: number, from = 0) => Array.from({ length: n }, (_, i) => ({ name: `agent-${(from + i) % 500}` }));
const walBytes = (s: SharedState) => statSync(`${s.path}-wal`).size;

async function until(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("WAL checkpoints", () => {
  it("turns SQLite's checkpoint-on-commit off and checkpoints every everyRows rows after the writes, inline while the store is not busy", async () => {
    const s = await store({ everyRows: 20, threadAbovePerSecond: Infinity });
    expect(s.db.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    for (let i = 0; i < 10; i++) {
      await s.updateHeartbeats(names(10, i * 10));
      await turn();
    }
    await s.updateAgentState("agent-1", "error", "a generic write counts its rows too");
    await turn();
    expect(s.walCheckpoints!.stats).toMatchObject({ passive: 5, onThread: 0, failures: 0 });
    expect(s.walCheckpoints!.onThread).toBe(false);
  });

  it("moves the checkpoints to a thread once the store writes more than threadAbovePerSecond rows a second", async () => {
    const s = await store({ everyRows: 50, threadAbovePerSecond: 100 });
    await s.updateHeartbeats(names(200));
    await until("the checkpoint thread", () => s.walCheckpoints!.onThread);
    for (let i = 0; i < 10; i++) {
      await s.updateHeartbeats(names(60, i * 60));
      await turn();
    }
    await until("a checkpoint on the thread", () => s.walCheckpoints!.stats.onThread > 0);
    expect(s.walCheckpoints!.stats.failures).toBe(0);
  });

  it("still checkpoints for a caller that never lets the event loop turn (the thread's answers cannot get in)", async () => {
    const s = await store({ everyRows: 50, threadAbovePerSecond: Infinity });
    for (let i = 0; i < 1000; i++) await s.updateHeartbeat(`agent-${i % 50}`);
    expect(s.walCheckpoints!.stats.passive).toBeGreaterThanOrEqual(2);
  });

  it("restarts the WAL under the state lock once it passes restartAbovePages while writes go on, so it stays bounded", async () => {
    const s = await store({ everyRows: 128, threadAbovePerSecond: 0, restartAbovePages: 512 });
    for (let i = 0; i < 120; i++) await s.updateHeartbeats(names(500, i * 500));
    await until("a checkpoint round", () => s.walCheckpoints!.stats.passive > 10);
    expect(s.walCheckpoints!.stats.restarts).toBeGreaterThanOrEqual(1);
    // 60,000 heartbeats of about 3 pages each would be ~700 MB of WAL without a restart
    expect(walBytes(s)).toBeLessThan(64 * 2 ** 20);
    expect(s.walCheckpoints!.stats.failures).toBe(0);
  });

  it("loses nothing: every heartbeat written is in the database after close, thread and all", async () => {
    const path = join(makeTempDir(), "state.db");
    const s = await SharedState.open({ path, walCheckpoints: { everyRows: 30, threadAbovePerSecond: 0 } });
    for (let i = 0; i < 40; i++) await s.updateHeartbeats(names(100, i * 100));
    await until("the checkpoint thread", () => s.walCheckpoints!.onThread);
    await s.close();
    const again = await openTestStore({ path });
    const counted = (await again.getRegisteredAgents()).reduce((n, a) => n + a.heartbeats, 0);
    expect(counted).toBe(4000);
  });
});

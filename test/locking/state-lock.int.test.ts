/**
 * The state lock across real processes: a LockTimeoutError that names the lock and its holder;
 * a holder killed with SIGKILL stalls nobody; 8 processes hammering one file surface no
 * SQLITE_BUSY and lose no heartbeat.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isLockTimeoutError, type LockTimeoutError } from "../../src/errors/index.js";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killChildren, spawnTs, type Child } from "../helpers/processes.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await killChildren();
  await closeStores();
  removeTempDirs();
});

async function holdLock(db: string): Promise<Child> {
  const holder = spawnTs("test/fixtures/lock-holder.ts", { env: { DB: db } });
  await holder.waitForLine(/holding \d+/, 30_000);
  return holder;
}

describe("StateLock between processes", () => {
  it("throws LockTimeoutError after LOCK_TIMEOUT, naming the lock file and the holder's pid", async () => {
    const store = await openTestStore({ lockTimeoutMs: 600 });
    await store.registerAgent("w");
    const holder = await holdLock(store.path);

    const started = performance.now();
    const e = (await store.updateHeartbeat("w").then(() => undefined, (err: unknown) => err)) as LockTimeoutError;
    const waited = performance.now() - started;
    expect(isLockTimeoutError(e)).toBe(true);
    expect(e.code).toBe("LOCK_TIMEOUT");
    expect(e.lockPath).toBe(`${store.path}.lock`);
    expect(e.message).toContain(`${store.path}.lock`);
    expect(e.message).toContain(`pid ${holder.pid}`);
    expect(e.message).toMatch(/LOCK_TIMEOUT/);
    expect(waited).toBeGreaterThanOrEqual(590);
    // nothing was written while the lock was held elsewhere
    expect((await store.getAgent("w"))?.heartbeats).toBe(0);
  });

  it("a holder killed with SIGKILL does not stall the others past LOCK_TIMEOUT, and corrupts nothing", async () => {
    const lockTimeoutMs = 10_000;
    const store = await openTestStore({ lockTimeoutMs });
    await store.registerAgent("w");
    // writers in another process (opened before the lock is taken) and in this one queue up behind the holder
    const go = join(makeTempDir(), "go");
    const other = spawnTs("test/fixtures/hammer.ts", { env: { DB: store.path, NAME: "other", COUNT: "20", GO: go } });
    await other.waitForLine(/ready/, 30_000);
    const holder = await holdLock(store.path);
    writeFileSync(go, "");
    let done = 0;
    const mine = Promise.all(Array.from({ length: 3 }, () => store.updateHeartbeat("w").then(() => done++)));
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(0);

    const killedAt = performance.now();
    holder.kill("SIGKILL");
    await mine;
    const result = JSON.parse((await other.waitForLine(/result (.*)/, lockTimeoutMs))[1]!) as { own: number; errors: string[] };
    const afterKill = performance.now() - killedAt;
    expect(result).toEqual({ own: 20, shared: 20, errors: [] });
    expect(afterKill).toBeLessThan(lockTimeoutMs);

    // the holder's uncommitted change is gone and the file is sound
    expect((await store.getAgent("w"))?.heartbeats).toBe(3);
    expect(store.db.pragma("integrity_check", { simple: true })).toBe("ok");
  });

  it("8 processes hammering updateHeartbeat on one file surface no error and lose no heartbeat", async () => {
    const WRITERS = 8;
    const COUNT = 150;
    const store = await openTestStore();
    const go = join(makeTempDir(), "go");
    const writers = Array.from({ length: WRITERS }, (_, i) =>
      spawnTs("test/fixtures/hammer.ts", { env: { DB: store.path, NAME: `hammer-${i}`, COUNT: String(COUNT), GO: go } }));
    for (const w of writers) await w.waitForLine(/ready/, 60_000);
    writeFileSync(go, "");

    const results = await Promise.all(writers.map(async (w) => {
      const m = await w.waitForLine(/result (.*)/, 120_000);
      expect((await w.exited).code).toBe(0);
      return JSON.parse(m[1]!) as { own: number; shared: number; errors: string[] };
    }));
    for (const r of results) expect(r).toEqual({ own: COUNT, shared: COUNT, errors: [] });

    const agents = await store.getRegisteredAgents();
    for (let i = 0; i < WRITERS; i++) expect(agents.find((a) => a.name === `hammer-${i}`)?.heartbeats).toBe(COUNT);
    expect(agents.find((a) => a.name === "shared")?.heartbeats).toBe(WRITERS * COUNT);
  });

  it("processes opening a fresh file at the same time all migrate it safely", async () => {
    const path = join(makeTempDir(), "fresh.db");
    const go = join(makeTempDir(), "go");
    const writers = Array.from({ length: 4 }, (_, i) =>
      spawnTs("test/fixtures/hammer.ts", { env: { DB: path, NAME: `w${i}`, COUNT: "5", GO: go } }));
    writeFileSync(go, "");
    for (const w of writers) {
      const m = await w.waitForLine(/result (.*)/, 60_000);
      expect(JSON.parse(m[1]!)).toEqual({ own: 5, shared: 5, errors: [] });
    }
    const s = await SharedState.open({ path });
    try {
      expect((await s.getAgent("shared"))?.heartbeats).toBe(20);
    } finally {
      await s.close();
    }
  });
});

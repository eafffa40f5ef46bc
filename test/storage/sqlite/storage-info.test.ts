/**
 * SQLite's side of storageInfo and probeWriteLock (the conformance suite checks their shape): the
 * file and WAL sizes of the real file, and a probe that waits for the lock while it is held.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("SQLite storage info", () => {
  it("storageInfo gives the file and WAL sizes; probeWriteLock takes the lock", async () => {
    const store = await openTestStore();
    await store.updateHeartbeat("a");
    const info = await store.storageInfo();
    expect(info.location).toBe(store.path);
    expect(info.dbBytes).toBeGreaterThan(0);
    expect(info.walBytes).toBeGreaterThan(0);
    expect(await store.probeWriteLock()).toBeGreaterThanOrEqual(0);
    // held elsewhere in this process, the probe waits for it
    let release!: () => void;
    const held = store.lock.run(() => new Promise<void>((r) => (release = r)));
    let probed = false;
    const probe = store.probeWriteLock().then(() => (probed = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(probed).toBe(false);
    release();
    await Promise.all([held, probe]);
    expect(probed).toBe(true);
  });

  it("an in-memory database has no file sizes", async () => {
    const store = await openTestStore({ path: ":memory:" });
    expect(await store.storageInfo()).toEqual({ location: ":memory:", dbBytes: null, walBytes: null });
  });
});

/**
 * HeartbeatGroupCommit over a real SQLite store: heartbeats that arrive together share one
 * updateHeartbeats transaction, each caller resolves only after its batch is committed (with the
 * state its heartbeat left), a failed batch rejects exactly its own callers, and a bad name is
 * refused alone without joining a batch.
 */
import { afterEach, describe, expect, it } from "vitest";
import { isValidationError } from "../../src/errors/index.js";
import { groupCommitOf, HeartbeatGroupCommit, type HeartbeatUpdate } from "../../src/storage/index.js";
import type { SharedState } from "../../src/storage/sqlite/index.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

/** The real store, recording the batches it is handed. */
function recording(store: SharedState) {
  const batches: string[][] = [];
  return {
    batches,
    updateHeartbeats: async (batch: readonly HeartbeatUpdate[]) => {
      batches.push(batch.map((b) => b.name));
      return store.updateHeartbeats(batch);
    },
  };
}

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("HeartbeatGroupCommit", () => {
  it("writes heartbeats that arrive together in one transaction, each caller answered after the commit", async () => {
    const store = await openTestStore();
    const writer = recording(store);
    const group = new HeartbeatGroupCommit(writer, { windowMs: 5 });
    const names = Array.from({ length: 50 }, (_, i) => `w${i}`);
    await Promise.all(names.map(async (n) => {
      await group.updateHeartbeat(n, { pid: 1 });
      // answered: the row is there
      expect((await store.getAgent(n))?.heartbeats).toBe(1);
    }));
    expect(writer.batches).toEqual([names]);
  });

  it("by default batches what arrives in one event-loop turn, and answers each caller with its agent's state", async () => {
    const store = await openTestStore();
    await store.registerAgent("booting");
    const writer = recording(store);
    const group = new HeartbeatGroupCommit(writer);
    const states = await Promise.all([group.updateHeartbeat("booting"), group.updateHeartbeat("new-1"), group.updateHeartbeat("new-2")]);
    expect(states).toEqual(["initializing", "active", "active"]);
    expect(writer.batches).toEqual([["booting", "new-1", "new-2"]]);
    // a heartbeat in a later turn opens a batch of its own
    await group.updateHeartbeat("new-1");
    expect(writer.batches).toEqual([["booting", "new-1", "new-2"], ["new-1"]]);
    expect((await store.getAgent("new-1"))?.heartbeats).toBe(2);
  });

  it("fills the next batch while one is being written, and cuts batches at maxBatch", async () => {
    const store = await openTestStore();
    const writer = recording(store);
    const group = new HeartbeatGroupCommit(writer, { windowMs: 1, maxBatch: 10 });
    const first = Promise.all(Array.from({ length: 25 }, (_, i) => group.updateHeartbeat(`a${i}`)));
    const second = Promise.all(Array.from({ length: 5 }, (_, i) => group.updateHeartbeat(`b${i}`)));
    await Promise.all([first, second]);
    expect(writer.batches.map((b) => b.length)).toEqual([10, 10, 10]);
    expect(writer.batches.flat().sort()).toEqual([...Array.from({ length: 25 }, (_, i) => `a${i}`), ...Array.from({ length: 5 }, (_, i) => `b${i}`)].sort());
    expect((await store.getRegisteredAgents()).length).toBe(30);
  });

  it("refuses a bad name at once without touching the batch; a failed write rejects only its batch", async () => {
    const store = await openTestStore();
    const group = new HeartbeatGroupCommit(store, { windowMs: 1 });
    const ok = group.updateHeartbeat("fine");
    expect(() => group.updateHeartbeat("bad\u0000name")).toThrow();
    let refused: unknown;
    try {
      void group.updateHeartbeat("");
    } catch (e) {
      refused = e;
    }
    expect(isValidationError(refused)).toBe(true);
    await ok;
    expect((await store.getAgent("fine"))?.heartbeats).toBe(1);

    await store.close();
    const failed = await Promise.allSettled([group.updateHeartbeat("x"), group.updateHeartbeat("y")]);
    expect(failed.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("many heartbeats of one call (a gateway's batch) join the same queue as single ones: one write at a time", async () => {
    const store = await openTestStore();
    let writing = 0;
    let overlapped = false;
    const writer = {
      updateHeartbeats: async (batch: readonly HeartbeatUpdate[]) => {
        overlapped ||= writing > 0;
        writing++;
        try {
          return await store.updateHeartbeats(batch);
        } finally {
          writing--;
        }
      },
    };
    const group = new HeartbeatGroupCommit(writer, { maxBatch: 100 });
    const gateway = (g: number) => Array.from({ length: 250 }, (_, i) => ({ name: `g${g}-${i}` }));
    const [a, b, single] = await Promise.all([group.updateHeartbeats(gateway(1)), group.updateHeartbeats(gateway(2)), group.updateHeartbeat("lone")]);
    expect(overlapped).toBe(false);
    expect([a.length, b.length, single]).toEqual([250, 250, "active"]);
    expect(await store.countAgents()).toBe(501);
    expect(() => group.updateHeartbeats([{ name: "ok" }, { name: "" }])).toThrow();
    expect(await store.getAgent("ok")).toBeUndefined();
  });

  it("single heartbeats go first in each batch: a push does not wait behind a gateway's relay", async () => {
    const store = await openTestStore();
    const writer = recording(store);
    const group = new HeartbeatGroupCommit(writer, { maxBatch: 10 });
    const relay = group.updateHeartbeats(Array.from({ length: 5 }, (_, i) => ({ name: `relayed-${i}` })));
    const pushes = ["p1", "p2", "p3"].map((n) => group.updateHeartbeat(n));
    await Promise.all([relay, ...pushes]);
    expect(writer.batches).toEqual([["p1", "p2", "p3", "relayed-0", "relayed-1", "relayed-2", "relayed-3", "relayed-4"]]);
  });

  it("a push that arrives while a long relay is being written is in the next batches, ahead of the relay's rest", async () => {
    const store = await openTestStore();
    const writer = recording(store);
    const group = new HeartbeatGroupCommit(writer, { maxBatch: 10 });
    const relay = group.updateHeartbeats(Array.from({ length: 60 }, (_, i) => ({ name: `relayed-${i}` })));
    await new Promise((r) => setImmediate(r)); // the relay's first batches are being written
    const late = group.updateHeartbeat("late-push");
    await Promise.all([relay, late]);
    const at = writer.batches.findIndex((b) => b.includes("late-push"));
    expect(writer.batches[at]![0]).toBe("late-push");
    expect(at).toBeLessThan(writer.batches.length - 2); // FIFO would have put it after all 60
    expect(writer.batches.flat()).toHaveLength(61);
  });

  it("groupCommitOf gives every writer of a store the same group commit", async () => {
    const a = await openTestStore();
    const b = await openTestStore();
    expect(groupCommitOf(a)).toBe(groupCommitOf(a));
    expect(groupCommitOf(a)).not.toBe(groupCommitOf(b));
  });
});

/**
 * The lease row and its fence on a real PostgreSQL server: one holder at a time, a new epoch on
 * every change of holder, and writes fenced by an old epoch (a paused leader that wakes) change
 * nothing: no stale marking, no notifier plan.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgStore } from "../../../src/storage/postgres/index.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());

const who = (holder: string) => ({ holder, host: `host-${holder}`, pid: 1, agent: `monitor-${holder}` });

describe("PostgreSQL leader lease", () => {
  it("grants one holder until the lease runs out, then the next one with a higher epoch", async () => {
    const clock = new ManualClock(1_000_000);
    const store = await PgStore.open({ url: await cluster.freshDatabase(), testClock: clock });
    try {
      const a = await store.tryLease("monitor", who("a"), 1000);
      expect(a).toEqual({ epoch: 1 });
      expect(await store.tryLease("monitor", who("b"), 1000)).toBeNull();
      clock.advance(500);
      expect(await store.tryLease("monitor", who("a"), 1000)).toEqual({ epoch: 1 }); // a renewal keeps the epoch
      clock.advance(1001);
      expect(await store.tryLease("monitor", who("b"), 1000)).toEqual({ epoch: 2 });
      expect(await store.tryLease("monitor", who("a"), 1000)).toBeNull();
      const members = await store.leaseMembers("monitor", 10_000);
      expect(members.map((m) => [m.holder, m.host, m.role])).toEqual([["b", "host-b", "leader"], ["a", "host-a", "standby"]]);
      await store.releaseLease("monitor", "b");
      expect(await store.tryLease("monitor", who("a"), 1000)).toEqual({ epoch: 3 });
    } finally {
      await store.close();
    }
  });

  it("a sweep or a notifier plan under an old epoch writes nothing; under the current one it does", async () => {
    const clock = new ManualClock(2_000_000);
    const store = await PgStore.open({ url: await cluster.freshDatabase(), testClock: clock });
    try {
      await store.registerAgent("silent");
      await store.updateAgentState("silent", "active");
      const old = await store.tryLease("monitor", who("old"), 1000);
      clock.advance(1500); // old's lease ran out while it was paused; new takes over
      const cur = await store.tryLease("monitor", who("new"), 1000);
      expect(cur!.epoch).toBeGreaterThan(old!.epoch);
      const oldFence = { lease: "monitor", holder: "old", epoch: old!.epoch, ttlMs: 1000 };
      const newFence = { lease: "monitor", holder: "new", epoch: cur!.epoch, ttlMs: 1000 };

      expect(await store.markStaleAgents(1000, { fence: oldFence })).toEqual([]);
      expect((await store.getAgent("silent"))!.state).toBe("active");
      const cp = { cursor: 0, state: null, tickAt: clock.now() };
      expect(await store.notify.commitPlan([{ channel: "c", key: "k1", event: "stale", agents: ["silent"], payload: {} }], cp, oldFence)).toBe(false);
      expect(await store.notify.pending("c")).toEqual([]);

      expect((await store.markStaleAgents(1000, { fence: newFence })).map((a) => a.name)).toEqual(["silent"]);
      expect(await store.notify.commitPlan([{ channel: "c", key: "k1", event: "stale", agents: ["silent"], payload: {} }], cp, newFence)).toBe(true);
      expect((await store.notify.pending("c")).map((d) => d.key)).toEqual(["k1"]);
      expect(await store.getTransitions({ agent: "silent", to: "stale" })).toHaveLength(1);

      // the holder's own lease ran out (no one took it): its fence no longer holds either
      clock.advance(1500);
      await store.updateAgentState("silent", "active");
      expect(await store.markStaleAgents(1000, { fence: newFence })).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

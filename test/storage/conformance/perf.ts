/** PerfStore: samples round trip, latest set, hourly roll-ups and pruning, counts, the fleet reading. */
import { describe, expect, it } from "vitest";
import { PERF_METRICS } from "../../../src/storage/index.js";
import type { Open } from "./harness.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function perfSuite(open: Open): void {
  describe("perf sub-store", () => {
    it("records sample sets and reads them back: recent (newest `limit`, oldest first), by agent, since; latest", async () => {
      const { store, t0 } = await open();
      expect(await store.perf.latest()).toBeUndefined();
      for (let i = 0; i < 5; i++) {
        await store.perf.record(t0 + i * 1000, [
          { metric: "m", value: i },
          { metric: "m", agent: "a", value: 10 + i },
          { metric: "other", value: -i },
        ]);
      }
      await store.perf.record(t0 + 9000, []);
      expect((await store.perf.recent({ metric: "m", agent: "" })).map((p) => p.value)).toEqual([0, 1, 2, 3, 4]);
      expect(await store.perf.recent({ metric: "m", agent: "a", limit: 2 })).toEqual([
        { at: t0 + 3000, metric: "m", agent: "a", value: 13 },
        { at: t0 + 4000, metric: "m", agent: "a", value: 14 },
      ]);
      expect((await store.perf.recent({ metric: "m" })).length).toBe(10);
      expect((await store.perf.recent({ metric: "m", agent: "", since: t0 + 3000 })).map((p) => p.value)).toEqual([3, 4]);
      expect(await store.perf.recent({ metric: "nothing" })).toEqual([]);
      const latest = await store.perf.latest();
      expect(latest?.at).toBe(t0 + 4000);
      expect(latest?.samples.map((s) => [s.metric, s.agent, s.value]).sort()).toEqual([["m", "", 4], ["m", "a", 14], ["other", "", -4]].sort());
      expect(await store.perf.counts()).toEqual({ samples: 15, rollups: 0 });
    });

    it("prune rolls raw samples older than a day into hourly buckets (n/min/max/avg) and deletes them", async () => {
      const { store, t0 } = await open();
      const start = Math.floor(t0 / HOUR) * HOUR;
      // two hours of samples, 4 a bucket, and one recent sample
      for (let i = 0; i < 8; i++) await store.perf.record(start + i * 15 * 60_000, [{ metric: PERF_METRICS.dbProbeP95, value: i }]);
      await store.perf.record(start + DAY + 3 * HOUR, [{ metric: PERF_METRICS.dbProbeP95, value: 100 }]);
      const now = start + DAY + 3 * HOUR;
      const r = await store.perf.prune(now);
      expect(r).toEqual({ rolledUp: 8, deletedRollups: 0 });
      expect(await store.perf.counts()).toEqual({ samples: 1, rollups: 2 });
      expect(await store.perf.rollups({ metric: PERF_METRICS.dbProbeP95 })).toEqual([
        { bucketStart: start, metric: PERF_METRICS.dbProbeP95, agent: "", n: 4, min: 0, max: 3, avg: 1.5 },
        { bucketStart: start + HOUR, metric: PERF_METRICS.dbProbeP95, agent: "", n: 4, min: 4, max: 7, avg: 5.5 },
      ]);
      expect((await store.perf.recent({ metric: PERF_METRICS.dbProbeP95 })).map((p) => p.value)).toEqual([100]);
      // pruning again changes nothing; roll-ups go when they are older than their (longer) retention
      expect(await store.perf.prune(now)).toEqual({ rolledUp: 0, deletedRollups: 0 });
      const later = await store.perf.prune(start + 400 * DAY);
      expect(later.rolledUp).toBe(1);
      expect(later.deletedRollups).toBeGreaterThanOrEqual(2);
      expect(await store.perf.rollups({ metric: PERF_METRICS.dbProbeP95 })).toEqual([]);
      expect(await store.perf.counts()).toEqual({ samples: 0, rollups: 0 });
    });

    it("readFleet totals live and stale agents, heartbeat ages and recent errors, with live detail only", async () => {
      const { store, clock, t0 } = await open();
      await store.updateHeartbeat("old", { cpuPercent: 1, rssBytes: 100 });
      await store.registerAgent("gone");
      await store.updateAgentState("gone", "stopped", "t");
      await clock.advance(200_000);
      await store.markStaleAgents(100_000);
      await store.updateHeartbeat("a", { cpuPercent: 2, rssBytes: 200, writeLatencyMs: 1, eventLoopLagMs: 3 });
      await clock.advance(1000);
      await store.updateHeartbeat("b");
      await store.recordError("b", "x");
      await store.recordError("b", "y");
      const now = clock.now();
      const r = await store.perf.readFleet(now, t0 + 100_000);
      expect(r.totals).toEqual({ live: 2, stale: 1, errors: 2, heartbeatAgeP50Ms: 0, heartbeatAgeP95Ms: 1000, heartbeatAgeMaxMs: 1000 });
      expect(r.errorsByAgent).toEqual({ b: 2 });
      expect(r.agents.map((a) => a.name).sort()).toEqual(["a", "b"]);
      expect(r.agents.find((a) => a.name === "a")).toEqual({
        name: "a", state: "active", ageMs: 1000, cpuPercent: 2, rssBytes: 200, heartbeatLatencyMs: 1, eventLoopLagMs: 3, heartbeatGapMs: null,
      });
      // b's second heartbeat, 2 s after its first: its rhythm is one 2 s gap
      await clock.advance(2000);
      await store.updateHeartbeat("b");
      expect((await store.perf.readFleet(clock.now(), t0 + 100_000)).agents.find((a) => a.name === "b")?.heartbeatGapMs).toBe(2000);
      expect((await store.perf.readFleet(now, t0 + 100_000, 1)).agents).toHaveLength(1);
    });
  });
}

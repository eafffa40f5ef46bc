/**
 * MonitorStore with DETECTION=adaptive: the heartbeat write keeps each agent's rhythm and its
 * stale bound (the same numbers as the pure detector in src/intelligence), and the sweep marks an
 * agent at its own bound, never later than the threshold, naming the rule that decided.
 * Stores are opened with the default detection parameters (PHI_THRESHOLD 8, STALE_THRESHOLD 120 s).
 */
import { describe, expect, it } from "vitest";
import { EMPTY_STATS, recordInterval, staleAfter, phiOptions, type IntervalStats } from "../../../src/intelligence/index.js";
import type { Open, OpenStore } from "./harness.js";

const THRESHOLD = 120_000;
const PHI = phiOptions({ staleThresholdMs: THRESHOLD });
const ADAPTIVE = { detection: "adaptive" } as const;

/** `n` heartbeats `gapMs` apart after a first one; returns the pure detector's view of the same gaps. */
async function beat(s: OpenStore, name: string, gaps: number[]): Promise<IntervalStats> {
  await s.store.updateHeartbeat(name);
  let stats = EMPTY_STATS;
  for (const g of gaps) {
    await s.clock.advance(g);
    await s.store.updateHeartbeat(name);
    stats = recordInterval(stats, g);
  }
  return stats;
}

export function adaptiveSweepSuite(open: Open): void {
  describe("adaptive stale detection", () => {
    it("the heartbeat keeps the agent's rhythm and bound as the pure detector computes them", async () => {
      const s = await open();
      const gaps = [900, 1100, 1000, 950, 1050, 1000, 1200, 800];
      const stats = await beat(s, "w", gaps);
      const h = (await s.store.getAgent("w"))!.history!;
      expect(h.count).toBe(gaps.length);
      expect(h.meanMs).toBeCloseTo(stats.meanMs, 6);
      expect(h.varianceMs2).toBeCloseTo(stats.varianceMs2, 3);
      expect(h.staleAfterMs!).toBeCloseTo(staleAfter(stats, PHI).ms, 3);
      expect(staleAfter(stats, PHI).rule).toBe("phi");
    });

    it("a batch of heartbeats keeps the same rhythm and bound as single heartbeats", async () => {
      const s = await open();
      // gaps: regular, one the threshold calls dead (not learned), a duplicate (0 ms, not learned), regular again
      const gaps = [900, 1100, 1000, 950, 1050, THRESHOLD + 1, 1000, 0, 1200, 800];
      await s.store.updateHeartbeat("single");
      await s.store.updateHeartbeats([{ name: "batched" }, { name: "other" }]);
      for (const g of gaps) {
        await s.clock.advance(g);
        await s.store.updateHeartbeat("single");
        await s.store.updateHeartbeats([{ name: "other", info: { pid: 7 } }, { name: "batched", info: { pid: 7 } }]);
      }
      const single = (await s.store.getAgent("single"))!;
      const batched = (await s.store.getAgent("batched"))!;
      expect(batched.heartbeats).toBe(single.heartbeats);
      expect(batched.history!.count).toBe(single.history!.count);
      expect(batched.history!.count).toBe(gaps.length - 2);
      expect(batched.history!.meanMs).toBeCloseTo(single.history!.meanMs, 6);
      expect(batched.history!.varianceMs2).toBeCloseTo(single.history!.varianceMs2, 3);
      expect(batched.history!.staleAfterMs!).toBeCloseTo(single.history!.staleAfterMs!, 3);
      expect(batched.pid).toBe(7);
    });

    it("marks a fast agent at its own bound (rule phi), long before the threshold; the fixed sweep does not", async () => {
      const s = await open();
      const stats = await beat(s, "fast", Array(10).fill(1000));
      const bound = staleAfter(stats, PHI).ms;
      await s.clock.advance(Math.floor(bound));
      expect(await s.store.markStaleAgents(THRESHOLD, ADAPTIVE)).toEqual([]);
      await s.clock.advance(1);
      expect(await s.store.markStaleAgents(THRESHOLD)).toEqual([]);
      const marked = await s.store.markStaleAgents(THRESHOLD, ADAPTIVE);
      expect(marked).toEqual([{ name: "fast", lastHeartbeat: s.t0 + 10_000, ageMs: Math.floor(bound) + 1, rule: "phi" }]);
      const a = await s.store.getAgent("fast");
      expect(a?.state).toBe("stale");
      expect(a?.stateReason).toMatch(/^no heartbeat for 4\.0s \(rule phi: stale after 4\.0\d*s\)$/);
      expect(await s.store.markStaleAgents(THRESHOLD, ADAPTIVE)).toEqual([]);
    });

    it("findStaleAgents reads the same verdicts without writing", async () => {
      const s = await open();
      await beat(s, "fast", Array(10).fill(1000));
      await beat(s, "young", [1000]);
      await s.clock.advance(5_000);
      expect(await s.store.findStaleAgents(THRESHOLD, 10, ADAPTIVE)).toEqual({
        count: 1, sample: [{ name: "fast", lastHeartbeat: s.t0 + 10_000, ageMs: 6_000, rule: "phi" }] });
      expect((await s.store.findStaleAgents(THRESHOLD, 10)).count).toBe(0);
      expect((await s.store.getAgent("fast"))?.state).toBe("active");
      expect((await s.store.findStaleAgents(THRESHOLD, 10, { ...ADAPTIVE, discountMs: 5_000 })).count).toBe(0);
    });

    it("a regular agent gets the floor of 2.5 of its periods, a slow one the threshold (cap)", async () => {
      const s = await open();
      await beat(s, "slow", Array(6).fill(100_000));
      await beat(s, "ten", Array(6).fill(10_000));
      // "ten": phi would allow ~13 s, the floor is 25 s
      expect((await s.store.getAgent("ten"))!.history!.staleAfterMs).toBeCloseTo(25_000, 3);
      expect((await s.store.getAgent("slow"))!.history!.staleAfterMs).toBe(THRESHOLD);
      await s.clock.advance(25_001);
      const marked = await s.store.markStaleAgents(THRESHOLD, ADAPTIVE);
      expect(marked.map((m) => [m.name, m.rule])).toEqual([["ten", "floor"]]);
      expect((await s.store.getAgent("ten"))?.stateReason).toBe("no heartbeat for 25.0s (rule floor: stale after 25s)");
      await s.clock.advance(THRESHOLD);
      expect((await s.store.markStaleAgents(THRESHOLD, ADAPTIVE)).map((m) => [m.name, m.rule])).toEqual([["slow", "cap"]]);
      // the fixed rule decided (as the upper bound): its words, as in fixed mode
      expect((await s.store.getAgent("slow"))?.stateReason).toMatch(/^no heartbeat for 205\.0s \(threshold 120s\)$/);
    });

    it("with fewer than 5 gaps the fixed rule decides", async () => {
      const s = await open();
      await beat(s, "young", [1000, 1000, 1000, 1000]);
      expect((await s.store.getAgent("young"))!.history).toMatchObject({ count: 4, staleAfterMs: THRESHOLD });
      await s.clock.advance(THRESHOLD);
      expect(await s.store.markStaleAgents(THRESHOLD, ADAPTIVE)).toEqual([]);
      await s.clock.advance(1);
      expect((await s.store.markStaleAgents(THRESHOLD, ADAPTIVE)).map((m) => m.rule)).toEqual(["fixed"]);
      expect((await s.store.getAgent("young"))?.stateReason).toBe("no heartbeat for 120.0s (threshold 120s)");
    });

    it("never later than the sweeping monitor's threshold, even when the writer's bound is longer", async () => {
      const s = await open();
      await beat(s, "slow", Array(6).fill(100_000));
      await s.clock.advance(60_001);
      expect((await s.store.markStaleAgents(60_000, ADAPTIVE)).map((m) => [m.name, m.rule])).toEqual([["slow", "cap"]]);
    });

    it("an agent registered before any heartbeat (no bound yet) is judged by the threshold", async () => {
      const s = await open();
      await s.store.registerAgent("new");
      await s.clock.advance(THRESHOLD + 1);
      expect((await s.store.markStaleAgents(THRESHOLD, ADAPTIVE)).map((m) => [m.name, m.rule])).toEqual([["new", "fixed"]]);
    });

    it("a gap the threshold calls dead is not learned, and reviving does not learn it either", async () => {
      const s = await open();
      await beat(s, "w", Array(6).fill(1000));
      const before = (await s.store.getAgent("w"))!.history!;
      await s.clock.advance(THRESHOLD + 1);
      await s.store.markStaleAgents(THRESHOLD, ADAPTIVE);
      await s.store.updateHeartbeat("w");
      const after = await s.store.getAgent("w");
      expect(after?.state).toBe("active");
      expect(after!.history).toEqual(before);
    });

    it("a heartbeat landing between check and update wins", async () => {
      const s = await open();
      await beat(s, "w", Array(8).fill(1000));
      await s.clock.advance(10_000);
      await s.store.updateHeartbeat("w");
      expect(await s.store.markStaleAgents(THRESHOLD, ADAPTIVE)).toEqual([]);
      expect((await s.store.getAgent("w"))?.state).toBe("active");
    });

    it("the clock-jump discount is taken off every age", async () => {
      const s = await open();
      await beat(s, "w", Array(8).fill(1000));
      await s.store.updateHeartbeat("f");
      await s.clock.advance(THRESHOLD + 1);
      expect(await s.store.markStaleAgents(THRESHOLD, { ...ADAPTIVE, discountMs: THRESHOLD })).toEqual([]);
      expect(await s.store.markStaleAgents(THRESHOLD, { discountMs: 1 })).toEqual([]);
      expect((await s.store.findStaleAgents(THRESHOLD, 10, { ...ADAPTIVE, discountMs: THRESHOLD })).count).toBe(0);
      expect((await s.store.findStaleAgents(THRESHOLD, 10, { discountMs: 1 })).count, "fixed detection too").toBe(0);
      expect((await s.store.findStaleAgents(THRESHOLD, 10)).count).toBe(2);
      expect((await s.store.markStaleAgents(THRESHOLD, ADAPTIVE)).map((m) => m.name).sort()).toEqual(["f", "w"]);
    });

    it("the history lives in the store: a listing shows it too", async () => {
      const s = await open();
      await beat(s, "w", Array(6).fill(2000));
      const [listed] = await s.store.getRegisteredAgents();
      expect(listed?.history?.count).toBe(6);
      expect(listed?.history?.meanMs).toBeCloseTo(2000, 6);
    });
  });
}

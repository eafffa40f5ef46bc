/** phi, the floor, the fixed-rule cap and the fallback with little history, on hand-made histories. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  EMPTY_STATS, judge, phi, phiOfZ, phiOptions, recordInterval, staleAfter, zForPhi, type IntervalStats,
} from "../../src/intelligence/index.js";

const history = (intervals: number[]): IntervalStats => intervals.reduce((s, x) => recordInterval(s, x), EMPTY_STATS);
/** n intervals alternating period·(1 ± j): mean `period`, std-dev `period·j`. */
const jittered = (period: number, j: number, n = 40) => history(Array.from({ length: n }, (_, i) => period * (1 + (i % 2 ? j : -j))));

describe("phi", () => {
  it("matches the normal tail: phi 0.3 at the mean, about 2.9 three std-devs out, 8 at zForPhi(8)", () => {
    expect(phiOfZ(0)).toBeCloseTo(Math.log10(2), 6);
    expect(phiOfZ(3)).toBeCloseTo(-Math.log10(0.00135), 1);
    expect(phiOfZ(zForPhi(8))).toBeCloseTo(8, 9);
    expect(zForPhi(8)).toBeGreaterThan(5);
    expect(zForPhi(8)).toBeLessThan(5.7);
    expect(Number.isFinite(phiOfZ(40))).toBe(true);
  });

  it("is 0 while the history is too short, then grows with the silence", () => {
    const o = phiOptions({ staleThresholdMs: 120_000, acceptablePauseMs: 0 });
    expect(phi(history([1000, 1000]), 60_000, o)).toBe(0);
    const s = jittered(1000, 0.3);
    expect(phi(s, 1000, o)).toBeLessThan(1);
    expect(phi(s, 3000, o)).toBeGreaterThan(8);
  });

  it("is monotone in the time since the last heartbeat (property)", () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 10, max: 600_000 }), { minLength: 5, maxLength: 60 }),
      fc.integer({ min: 0, max: 3_600_000 }), fc.integer({ min: 0, max: 3_600_000 }),
      (intervals, a, b) => {
        const s = history(intervals);
        const o = phiOptions({ staleThresholdMs: 900_000 });
        return phi(s, Math.min(a, b), o) <= phi(s, Math.max(a, b), o);
      }));
  });
});

describe("the stale decision", () => {
  it("uses the fixed rule with fewer than minSamples intervals", () => {
    const o = phiOptions({ staleThresholdMs: 120_000, minSamples: 5 });
    const young = history([1000, 1000, 1000, 1000]);
    expect(staleAfter(young, o)).toEqual({ ms: 120_000, rule: "fixed" });
    expect(judge(young, 119_000, o).stale).toBe(false);
    expect(judge(young, 120_001, o).stale).toBe(true);
    expect(judge(recordInterval(young, 1000), 10_000, o).stale).toBe(true);
  });

  it("gives a 1 s worker and a 5 min batch job each their own bound, inside the cap", () => {
    const o = phiOptions({ staleThresholdMs: 900_000 });
    const fast = staleAfter(jittered(1000, 0.3), o);
    const batch = staleAfter(jittered(300_000, 0.1), o);
    expect(fast.ms).toBeGreaterThan(3000); // at least the floor and the acceptable pause
    expect(fast.ms).toBeLessThan(6000);
    expect(batch.rule).toBe("floor"); // 2.5 periods: phi alone would say ~460 s for so regular a job
    expect(batch.ms).toBeCloseTo(750_000, -4);
    expect(staleAfter(jittered(300_000, 0.3), o).rule).toBe("phi"); // an irregular one gets more room, still under the cap
  });

  it("never marks stale before the floor of 2.5 mean periods, even when phi says so", () => {
    const o = phiOptions({ staleThresholdMs: 600_000, acceptablePauseMs: 0, minStdDevMs: 1 });
    const metronome = history(Array(20).fill(10_000));
    expect(phi(metronome, 20_000, o)).toBeGreaterThan(8);
    expect(judge(metronome, 20_000, o).stale).toBe(false);
    expect(staleAfter(metronome, o)).toEqual({ ms: 25_000, rule: "floor" });
    expect(judge(metronome, 25_000, o).stale).toBe(false);
    expect(judge(metronome, 25_001, o).stale).toBe(true);
  });

  it("caps at STALE_THRESHOLD when the agent's own bound would be later", () => {
    const o = phiOptions({ staleThresholdMs: 120_000 });
    const slow = jittered(100_000, 0.5);
    expect(staleAfter(slow, o)).toEqual({ ms: 120_000, rule: "cap" });
    expect(judge(slow, 120_001, o)).toMatchObject({ stale: true, rule: "cap" });
  });

  it("is never stale before min(floor, cap) and always stale past STALE_THRESHOLD (property)", () => {
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 1, max: 900_000 }), { maxLength: 40 }),
      fc.integer({ min: 1_000, max: 3_600_000 }), fc.double({ min: 0, max: 2, noNaN: true }),
      fc.double({ min: 1, max: 20, noNaN: true }),
      (intervals, threshold, share, phiThreshold) => {
        const s = history(intervals);
        const o = phiOptions({ staleThresholdMs: threshold, phiThreshold });
        const age = share * threshold;
        const verdict = judge(s, age, o).stale;
        if (age > threshold) return verdict;
        const floor = s.count >= o.minSamples ? Math.min(threshold, o.floorPeriods * s.meanMs) : threshold;
        return age <= floor ? !verdict : true;
      }));
  });

  it("agrees with evaluating phi directly: stale ⇔ (phi > threshold and age > floor) or age > cap", () => {
    const o = phiOptions({ staleThresholdMs: 200_000 });
    const s = jittered(10_000, 0.5);
    for (let age = 0; age < 250_000; age += 250) {
      const direct = (phi(s, age, o) > o.phiThreshold && age > Math.min(200_000, o.floorPeriods * s.meanMs)) || age > 200_000;
      expect(judge(s, age, o).stale, `age ${age}`).toBe(direct);
    }
  });
});

/** The interval history: Welford while young, EWMA afterwards, and a round trip through storage. */
import { describe, expect, it } from "vitest";
import { EMPTY_STATS, judge, phiOptions, recordInterval, restoreStats, type IntervalStats } from "../../src/intelligence/index.js";
import { mulberry32 } from "../helpers/random.js";

const history = (xs: number[], alpha?: number): IntervalStats => xs.reduce((s, x) => recordInterval(s, x, { alpha }), EMPTY_STATS);

describe("interval history", () => {
  it("equals the plain mean and population variance while younger than 1/alpha", () => {
    const xs = [900, 1100, 1000, 1300, 700, 1000];
    const s = history(xs, 0.05);
    const mean = xs.reduce((a, b) => a + b) / xs.length;
    expect(s.count).toBe(6);
    expect(s.meanMs).toBeCloseTo(mean, 9);
    expect(s.varianceMs2).toBeCloseTo(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length, 6);
  });

  it("forgets: after a change from 30 s to 1 s beats the mean follows within a few dozen intervals", () => {
    let s = history(Array(500).fill(30_000));
    for (let i = 0; i < 100; i++) s = recordInterval(s, 1000);
    expect(s.meanMs).toBeLessThan(1200);
  });

  it("ignores intervals <= 0, non-finite ones and those above maxIntervalMs", () => {
    const s = history([1000, 1000]);
    expect(recordInterval(s, 0)).toBe(s);
    expect(recordInterval(s, -5)).toBe(s);
    expect(recordInterval(s, NaN)).toBe(s);
    expect(recordInterval(s, 200_000, { maxIntervalMs: 120_000 })).toBe(s);
  });

  it("survives serialise → restore (a monitor restart) with the same verdicts", () => {
    const rand = mulberry32(7);
    const s = history(Array.from({ length: 300 }, () => 10_000 * (0.5 + rand())));
    const back = restoreStats(JSON.parse(JSON.stringify(s)) as Record<string, unknown>);
    expect(back).toEqual(s);
    const o = phiOptions({ staleThresholdMs: 300_000 });
    for (const age of [5_000, 20_000, 31_000, 40_000, 299_000]) expect(judge(back, age, o)).toEqual(judge(s, age, o));
  });

  it("restores malformed stored values as an empty history (the fixed rule), not as NaN", () => {
    expect(restoreStats(null)).toEqual(EMPTY_STATS);
    expect(restoreStats({ count: 3, meanMs: "x", varianceMs2: 1 })).toEqual(EMPTY_STATS);
    expect(restoreStats({ count: -1, meanMs: 10, varianceMs2: 1 })).toEqual(EMPTY_STATS);
    expect(restoreStats({ count: "12", meanMs: "1000.5", varianceMs2: "4" })).toEqual({ count: 12, meanMs: 1000.5, varianceMs2: 4 });
  });
});

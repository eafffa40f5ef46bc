/** The robust anomaly detector: sustained excursions are flagged once, single spikes and GC cycles are not. */
import { describe, expect, it } from "vitest";
import { EMPTY_SIGNAL, observeSignal, type AnomalyOptions, type SignalState, type SignalUpdate } from "../../src/intelligence/index.js";
import { sawtooth, series } from "./series.js";

function run(xs: number[], o: Partial<AnomalyOptions> = {}): { state: SignalState; updates: SignalUpdate[] } {
  let state = EMPTY_SIGNAL;
  const updates = xs.map((x) => {
    const u = observeSignal(state, x, o);
    state = u.state;
    return u;
  });
  return { state, updates };
}
const flaggedAt = (us: SignalUpdate[]) => us.flatMap((u, i) => (u.started ? [i] : []));

describe("anomaly detection", () => {
  const lag = series(1, 200, () => 5, 0.5).map((p) => p.x); // event-loop lag around 5 ms

  it("does not flag a steady noisy signal", () => {
    expect(flaggedAt(run(lag).updates)).toEqual([]);
  });

  it("does not flag single spikes, nor pairs (shorter than minDuration), and the baseline barely moves", () => {
    const spiky = lag.map((x, i) => (i % 40 === 20 ? 400 : i === 121 || i === 122 ? 300 : x));
    const { state, updates } = run(spiky);
    expect(flaggedAt(updates)).toEqual([]);
    expect(updates[20]!.score).toBeGreaterThan(5); // the spike was seen as out of band
    expect(state.center).toBeGreaterThan(4);
    expect(state.center).toBeLessThan(7);
  });

  it("flags a sustained rise once, after minDuration samples, and says when it ends", () => {
    const xs = [...lag.slice(0, 100), ...Array(10).fill(60), ...lag.slice(100, 150)];
    const { updates } = run(xs);
    expect(flaggedAt(updates)).toEqual([102]);
    expect(updates.slice(102, 110).every((u) => u.state.anomalous)).toBe(true);
    expect(updates.findIndex((u) => u.ended)).toBe(110);
  });

  it("does not flag an RSS GC sawtooth it has learned", () => {
    const rss = series(2, 300, (t) => 200 + sawtooth(40, 150_000)(t), 1).map((p) => p.x);
    expect(flaggedAt(run(rss).updates)).toEqual([]);
  });

  it("flags a step change, then learns the new level and clears", () => {
    const xs = series(3, 400, (t) => (t > 100 * 30_000 ? 300 : 200), 2).map((p) => p.x);
    const { updates, state } = run(xs);
    expect(flaggedAt(updates)).toEqual([102]);
    const cleared = updates.findIndex((u) => u.ended);
    expect(cleared).toBeGreaterThan(102);
    expect(cleared).toBeLessThan(200);
    expect(state.anomalous).toBe(false);
    expect(state.center).toBeGreaterThan(290);
  });

  it("flags nothing during warm-up and ignores non-finite values", () => {
    const { updates } = run([1, 1, 1, 1000, 1000, 1000, 1000, NaN, 1]);
    expect(updates.every((u) => !u.state.anomalous)).toBe(true);
    expect(updates[7]!.state).toBe(updates[6]!.state);
  });

  it("with twoSided, flags a sustained drop too", () => {
    const xs = [...lag.slice(0, 100), ...Array(5).fill(-100)];
    expect(flaggedAt(run(xs).updates)).toEqual([]);
    expect(flaggedAt(run(xs, { twoSided: true }).updates)).toEqual([102]);
  });

  it("state round-trips through JSON with the same next verdicts", () => {
    const first = run(lag.slice(0, 120)).state;
    const restored = JSON.parse(JSON.stringify(first)) as SignalState;
    for (const x of [5, 80, 80, 80, 5]) expect(observeSignal(restored, x)).toEqual(observeSignal(first, x));
  });
});

/** Theil-Sen forecasts on synthetic series: a leak is found with the right time to the limit; sawtooth, noise and steps are not leaks. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeForecast, forecast, theilSen } from "../../src/intelligence/index.js";
import { sawtooth, series, STEP_MS } from "./series.js";

const N = 60; // 30 min of samples every 30 s
const NOW = N * STEP_MS;
const LIMIT = 512;
const MIN = 60_000;

describe("Theil-Sen", () => {
  it("recovers the slope of a noisy line and ignores a few wild outliers", () => {
    const pts = series(1, N, (t) => 100 + 2 * (t / MIN), 1).map((p, i) => (i % 15 === 7 ? { ...p, x: 5000 } : p));
    const fit = theilSen(pts)!;
    expect(fit.slope * MIN).toBeCloseTo(2, 1);
    expect(fit.confidence).toBeGreaterThan(0.9);
    expect(fit.at(NOW)).toBeCloseTo(100 + 2 * (NOW / MIN), -1);
  });

  it("needs three points and a time span", () => {
    expect(theilSen([{ t: 1, x: 1 }, { t: 2, x: 2 }])).toBeNull();
    expect(theilSen([{ t: 1, x: 1 }, { t: 1, x: 2 }, { t: 1, x: 3 }])).toBeNull();
  });
});

describe("forecast", () => {
  it("finds a steady leak and the time to the limit within 20% of the truth (property over seeds, rates, baselines)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 2, max: 10, noNaN: true }), fc.double({ min: 100, max: 300, noNaN: true }),
      (seed, mbPerMin, base) => {
        const f = forecast(series(seed, N, (t) => base + mbPerMin * (t / MIN), 2), LIMIT, NOW);
        const truth = ((LIMIT - (base + mbPerMin * (NOW / MIN))) / mbPerMin) * MIN;
        fc.pre(truth >= 10 * MIN); // closer than that, ±2 MB of noise is itself 20% of what is left
        return f.degrading && Math.abs(f.timeToLimitMs - truth) <= 0.2 * truth && f.soonestMs <= f.timeToLimitMs && f.latestMs >= f.timeToLimitMs;
      }), { numRuns: 200 });
  });

  it("says it in words: 'degrading: RSS will reach the limit in about 14 min'", () => {
    // 286 MB now, 8 MB/min, limit 400 → 14.25 min
    const f = forecast(series(5, N, (t) => 46 + 8 * (t / MIN), 1), 400, NOW);
    expect(describeForecast("RSS", f)).toMatch(/^degrading: RSS will reach the limit in about 14 min \(\d+ min-\d+ min, confidence (0\.9\d|1\.00)\)$/);
  });

  it("finds a leak under a GC sawtooth, within 20% of when the sawtooth's middle reaches the limit", () => {
    const f = forecast(series(6, N, (t) => 200 + 3 * (t / MIN) + sawtooth(40, 170_000)(t), 1), LIMIT, NOW);
    const truth = ((LIMIT - 20 - (200 + 3 * (NOW / MIN))) / 3) * MIN;
    expect(f.degrading).toBe(true);
    expect(Math.abs(f.timeToLimitMs - truth)).toBeLessThan(0.2 * truth);
  });

  it("does not call a GC sawtooth with no leak degrading, whatever its period and phase (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 60_000, max: 600_000 }), fc.integer({ min: 0, max: 600_000 }),
      fc.double({ min: 10, max: 200, noNaN: true }),
      (seed, period, phase, amplitude) => !forecast(series(seed, N, (t) => 200 + sawtooth(amplitude, period, phase)(t), 1), LIMIT, NOW).degrading),
      { numRuns: 200 });
  });

  it("does not call flat noise or single spikes degrading", () => {
    expect(forecast(series(8, N, () => 300, 5), LIMIT, NOW).degrading).toBe(false);
    const spiky = series(9, N, () => 300, 1).map((p, i) => (i === N - 2 ? { ...p, x: 500 } : p));
    expect(forecast(spiky, LIMIT, NOW).degrading).toBe(false);
  });

  it("treats a step change as a step, not a leak, wherever it falls in the window", () => {
    for (let at = 0.15; at <= 0.9; at += 0.05) {
      const f = forecast(series(10, N, (t) => (t > at * NOW ? 350 : 250), 2), LIMIT, NOW);
      expect(f.degrading, `step at ${at.toFixed(2)} of the window: ${f.reason}`).toBe(false);
    }
  });

  it("reports nothing with too few samples, when falling, or beyond the horizon", () => {
    expect(forecast(series(11, 5, (t) => t), LIMIT, NOW).reason).toMatch(/too few/);
    expect(forecast(series(12, N, (t) => 400 - t / MIN), LIMIT, NOW).reason).toBe("not rising");
    expect(forecast(series(13, N, (t) => 100 + 0.01 * (t / MIN), 0.01), LIMIT, NOW).reason).toBe("limit beyond the horizon");
  });
});

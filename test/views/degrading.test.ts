import { describe, expect, it } from "vitest";
import { rssDegrading } from "../../src/views/degrading.js";

const MB = 1024 * 1024;
const MIN = 60_000;
const T = 1_700_000_000_000;

/** 30 samples a minute apart ending at T, value(i). */
const series = (value: (i: number) => number) => Array.from({ length: 30 }, (_, i) => ({ at: T - (29 - i) * MIN, value: value(i) }));

describe("rssDegrading", () => {
  it("a steady leak of 10 MB/min from 100 MB is degrading, reaching 512 MB in about 12 min", () => {
    const v = rssDegrading(series((i) => (100 + 10 * i) * MB), 512 * MB, T);
    expect(v).not.toBeNull();
    // at T the line is at 390 MB: (512 - 390) / 10 = 12.2 min
    expect(v!.timeToLimitMs / MIN).toBeCloseTo(12.2, 0);
    expect(v!.text).toMatch(/^degrading: RSS will reach the limit in about 12 min/);
  });

  it("flat RSS with noise, a GC sawtooth and a single step are not degrading", () => {
    expect(rssDegrading(series((i) => (200 + ((i * 7) % 5)) * MB), 512 * MB, T)).toBeNull();
    expect(rssDegrading(series((i) => (200 + (i % 5) * 20) * MB), 512 * MB, T)).toBeNull();
    expect(rssDegrading(series((i) => (i < 15 ? 200 : 300) * MB), 512 * MB, T)).toBeNull();
  });
});

/** isoTime must print exactly what Date#toISOString prints, for any millisecond it is given. */
import { describe, expect, it } from "vitest";
import { isoTime } from "../../src/views/iso-time.js";

describe("isoTime", () => {
  it("matches toISOString around day, month, year and leap boundaries, before 1970 and in far years", () => {
    const edges = [0, -1, 1, 999, 1000, 86_399_999, 86_400_000, -86_400_000, -86_400_001,
      Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2000, 0, 1), Date.UTC(1969, 11, 31, 23, 59, 59, 999),
      Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), Date.UTC(-1, 5, 6, 7, 8, 9, 10), 8.64e15, -8.64e15, 1.5, -0.5];
    for (const ms of edges) expect([ms, isoTime(ms)]).toEqual([ms, new Date(ms).toISOString()]);
  });

  it("matches toISOString on 20,000 random times (many on the same days, as a fleet's are)", () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const base = Date.UTC(2026, 10, 28);
    for (let i = 0; i < 20_000; i++) {
      const ms = i % 2 ? Math.floor(base + (rand() - 0.5) * 3 * 86_400_000) : Math.floor((rand() - 0.3) * 4e12);
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it("throws like toISOString on an invalid time", () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
    expect(() => isoTime(8.64e15 + 1)).toThrow(RangeError);
  });
});

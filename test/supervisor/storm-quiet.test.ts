/**
 * StormQuiet: a suspicion is logged once when it starts and once when it ends; stale restarts are
 * held while suspect and for the quiet period after the last suspicious tick; a wall-clock jump
 * moves the end of that period with it.
 */
import { describe, expect, it } from "vitest";
import { StormQuiet } from "../../src/supervisor/storm-quiet.js";
import { captureLogger } from "../helpers/log-capture.js";

describe("StormQuiet", () => {
  it("holds restarts while suspect and for the quiet period after, logging the start and the end once", () => {
    const { logger, entries } = captureLogger("supervisor", "info");
    const q = new StormQuiet(logger, 10_000);
    expect(q.holdsRestarts(undefined, 0)).toBe(false);
    expect(q.holdsRestarts("2 of 3 agents went stale at once", 1_000)).toBe(true);
    expect(q.holdsRestarts("2 of 3 agents went stale at once", 2_000)).toBe(true);
    expect(q.holdsRestarts(undefined, 3_000)).toBe(true); // quiet until 12_000
    expect(q.holdsRestarts(undefined, 11_999)).toBe(true);
    expect(q.holdsRestarts(undefined, 12_000)).toBe(false);
    expect(entries.map((e) => [e.level, e.message])).toEqual([
      ["warn", "2 of 3 agents went stale at once"],
      ["info", "monitor and database healthy again; stale agents will be restarted after a quiet period"],
    ]);
  });

  it("moves the end of the quiet period with a wall-clock jump", () => {
    const q = new StormQuiet(captureLogger().logger, 10_000);
    q.holdsRestarts("suspect", 0);
    q.holdsRestarts(undefined, 1_000);
    q.shift(3_600_000);
    expect(q.holdsRestarts(undefined, 3_600_000 + 9_999)).toBe(true);
    expect(q.holdsRestarts(undefined, 3_600_000 + 10_000)).toBe(false);
  });
});

/** The ping routes' fixed-window limiter, on a manual clock. */
import { describe, expect, it } from "vitest";
import { FixedWindowLimiter } from "../../src/http/ping/rate-limit.js";
import { ManualClock } from "../helpers/manual-clock.js";

describe("FixedWindowLimiter", () => {
  it("allows `limit` per window per key, says when to retry, and starts over in the next window", () => {
    const clock = new ManualClock();
    const l = new FixedWindowLimiter(2, 60_000, clock);
    expect(l.take("a").ok).toBe(true);
    expect(l.take("a").ok).toBe(true);
    clock.advance(15_000);
    expect(l.take("a")).toEqual({ ok: false, retryAfterS: 45 });
    expect(l.take("b").ok).toBe(true); // another address has its own window
    clock.advance(45_000);
    expect(l.take("a").ok).toBe(true);
  });
});

/**
 * The monitor's clock guard at its first check: with a clock that knows the process's start
 * (monotonicOrigin), a wall jump between start-up and that first check is noticed there (held,
 * then discounted) instead of becoming the baseline that ages every earlier heartbeat by it.
 */
import { describe, expect, it } from "vitest";
import type { AgentContext } from "../../src/agents/context.js";
import { checkClock } from "../../src/agents/heartbeat/clock-guard.js";
import type { Clock } from "../../src/clock/index.js";

const HOUR = 3_600_000;

function contextWith(clock: Clock): AgentContext {
  return { clock, config: { staleThresholdMs: 4000 } } as unknown as AgentContext;
}

function clockAt(t: { wall: number; mono: number }, origin?: number): Clock {
  return {
    now: () => t.wall,
    monotonic: () => t.mono,
    ...(origin === undefined ? {} : { monotonicOrigin: () => origin }),
    sleep: async () => undefined,
  };
}

describe("checkClock's first check", () => {
  it("notices a jump since the process started, then discounts it for one threshold", () => {
    const t = { wall: 1_000_000 + 5000 + HOUR, mono: 5000 };
    const c = contextWith(clockAt(t, 1_000_000));
    expect(checkClock(c)).toMatchObject({ hold: true, jumpedByMs: HOUR });
    t.wall += 250;
    t.mono += 250;
    expect(checkClock(c)).toMatchObject({ hold: false, discountMs: HOUR });
    t.wall += 4000;
    t.mono += 4000;
    expect(checkClock(c)).toMatchObject({ hold: false, discountMs: 0 });
  });

  it("sees no jump at a first check on time", () => {
    const c = contextWith(clockAt({ wall: 1_000_000 + 5000, mono: 5000 }, 1_000_000));
    expect(checkClock(c)).toMatchObject({ hold: false, jumpedByMs: 0, discountMs: 0 });
  });

  it("without the origin, the first check is the baseline", () => {
    const c = contextWith(clockAt({ wall: 1_000_000 + 5000 + HOUR, mono: 5000 }));
    expect(checkClock(c)).toMatchObject({ hold: false, jumpedByMs: 0 });
  });
});

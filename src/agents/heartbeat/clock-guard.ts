/**
 * The monitor's clock-jump guard (src/intelligence/clock-jump.ts) kept per running monitor: each
 * check observes both clocks; a check that notices a jump marks nothing, and for one threshold
 * after a forward jump every age is judged without it (the sweep's `discountMs`).
 */
import { observeClocks, recentForwardJumpsMs, startClockWatch, type ClockJumpState } from "../../intelligence/index.js";
import type { AgentContext } from "../context.js";

const watches = new WeakMap<AgentContext, ClockJumpState>();

export interface ClockVerdict {
  /** Skip stale decisions this check. */
  hold: boolean;
  /** Taken off every age in the sweep. */
  discountMs: number;
  /** The jump noticed at this check (0 when none). */
  jumpedByMs: number;
  /** The wall reading judged: the sweep measures ages at it. */
  wallMs: number;
}

export function checkClock(c: AgentContext): ClockVerdict {
  const wall = c.clock.now();
  const mono = c.clock.monotonic?.() ?? wall;
  const prev = watches.get(c) ?? firstWatch(c, wall, mono);
  const tick = observeClocks(prev, wall, mono);
  watches.set(c, tick.state);
  // a jump stops mattering once every stamp it aged would be stale by its true age too
  const discountMs = recentForwardJumpsMs(tick.state, mono, c.config.staleThresholdMs);
  return { hold: tick.hold, discountMs, jumpedByMs: tick.jumpedByMs, wallMs: wall };
}

/**
 * Watched from the process's start where the clock knows it: a jump between start-up and the first
 * check (a slow start, a jump right after the agent turned active) is noticed at that check, not
 * taken as the baseline (which would age every heartbeat stamped before it by the jump).
 */
function firstWatch(c: AgentContext, wall: number, mono: number): ClockJumpState {
  const origin = c.clock.monotonicOrigin?.();
  return origin === undefined || c.clock.monotonic === undefined ? startClockWatch(wall, mono) : startClockWatch(origin, 0);
}

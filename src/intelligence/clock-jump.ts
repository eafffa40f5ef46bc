/**
 * The monitor noticing its own wall clock jump. Between two checks it compares how far the wall
 * clock moved with how far a monotonic clock (performance.now()) moved; a difference beyond
 * `toleranceMs` is a jump. Without this, a forward jump of J ages every heartbeat stamped before
 * it by J at once, and phi calls the whole fleet dead in one check (Akka's known mass false alarm).
 *
 * What the caller does with it: `hold` = skip stale decisions for this check (a cheap, safe
 * reaction), and `correctedAgeMs` = take the jumps back out of ages of heartbeats stamped before
 * them, so later checks judge the true silence. The state is a few numbers and a short list.
 */

export interface ClockJump {
  /** Wall time (before the jump) at which it was noticed: stamps earlier than this predate it. */
  atWallMs: number;
  /** Monotonic time at which it was noticed: how long ago it was, whatever the wall clock did since. */
  atMonoMs: number;
  /** How far the wall clock moved beyond the monotonic clock (> 0 forward, < 0 backward). */
  byMs: number;
}

export interface ClockJumpState {
  lastWallMs: number;
  lastMonoMs: number;
  /** Recent jumps, oldest first, at most `maxJumps`. */
  jumps: ClockJump[];
}

export interface ClockJumpOptions {
  /** Drift between wall and monotonic time tolerated per check (NTP slews, timer slop). @defaultValue 1000 ms */
  toleranceMs?: number;
  /** Jumps remembered; older ones stop correcting ages. @defaultValue 8 */
  maxJumps?: number;
}

export function startClockWatch(wallMs: number, monoMs: number): ClockJumpState {
  return { lastWallMs: wallMs, lastMonoMs: monoMs, jumps: [] };
}

export interface ClockTick {
  state: ClockJumpState;
  /** The wall jump noticed at this check (0 when none). */
  jumpedByMs: number;
  /** True when this check should not mark anything stale. */
  hold: boolean;
}

/** Call once per check with both clocks' readings. */
export function observeClocks(s: ClockJumpState, wallMs: number, monoMs: number, opts: ClockJumpOptions = {}): ClockTick {
  const tolerance = opts.toleranceMs ?? 1_000;
  const expectedWall = s.lastWallMs + (monoMs - s.lastMonoMs);
  const by = wallMs - expectedWall;
  if (Math.abs(by) <= tolerance) return { state: { ...s, lastWallMs: wallMs, lastMonoMs: monoMs }, jumpedByMs: 0, hold: false };
  const jumps = [...s.jumps, { atWallMs: expectedWall, atMonoMs: monoMs, byMs: by }].slice(-(opts.maxJumps ?? 8));
  return { state: { lastWallMs: wallMs, lastMonoMs: monoMs, jumps }, jumpedByMs: by, hold: true };
}

/**
 * The sum of the forward jumps noticed less than `windowMs` ago (monotonic time, so a later
 * backward jump does not stretch the window): taken off every age for one threshold after a jump,
 * by when every live agent has stamped again on the new time.
 */
export function recentForwardJumpsMs(s: ClockJumpState, monoMs: number, windowMs: number): number {
  return s.jumps.filter((j) => j.byMs > 0 && monoMs - j.atMonoMs < windowMs).reduce((sum, j) => sum + j.byMs, 0);
}

/**
 * The age of a heartbeat stamped `stampMs`, measured now (`wallMs`), without the forward jumps
 * that happened after it was stamped. Never negative. Backward jumps are not added back: a stamp
 * cannot tell whether it was written before or after one, so they can only delay a verdict.
 */
export function correctedAgeMs(s: ClockJumpState, stampMs: number, wallMs: number): number {
  let age = wallMs - stampMs;
  for (const j of s.jumps) if (j.byMs > 0 && stampMs < j.atWallMs) age -= j.byMs;
  return Math.max(0, age);
}

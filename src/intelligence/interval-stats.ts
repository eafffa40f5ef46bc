/**
 * An agent's heartbeat inter-arrival history in three numbers (count, mean, variance), so it fits
 * in a few columns of the agent's row and survives a monitor restart or failover.
 *
 * Exponentially weighted, not a window: Akka keeps the last 1000 intervals, which is 1000 values
 * per agent to store; Welford's all-time mean never forgets a period change (an agent reconfigured
 * from 30 s to 1 s would be judged by its old mean for hours). The EWMA forgets with weight
 * `alpha` per sample; the first 1/alpha samples are averaged equally (Welford), so a young
 * history is not dominated by its first gap.
 */

export interface IntervalStats {
  /** Intervals recorded (saturates at Number.MAX_SAFE_INTEGER, never resets by itself). */
  count: number;
  /** Mean inter-arrival time, ms. */
  meanMs: number;
  /** Variance of the inter-arrival time, ms². */
  varianceMs2: number;
}

export const EMPTY_STATS: IntervalStats = Object.freeze({ count: 0, meanMs: 0, varianceMs2: 0 });

export interface IntervalStatsOptions {
  /** Weight of each new interval once warmed up (effective memory ~ 2/alpha intervals). @defaultValue 0.05 */
  alpha?: number;
  /** Intervals longer than this are not learned (a gap the fixed rule would call dead is no sample of "alive"). @defaultValue Infinity */
  maxIntervalMs?: number;
}

/** The history with one more interval; `intervalMs` <= 0 (clock went backwards, duplicate) is ignored. */
export function recordInterval(s: IntervalStats, intervalMs: number, opts: IntervalStatsOptions = {}): IntervalStats {
  const alpha = opts.alpha ?? 0.05;
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs) || intervalMs > (opts.maxIntervalMs ?? Infinity)) return s;
  const count = Math.min(s.count + 1, Number.MAX_SAFE_INTEGER);
  const w = Math.max(alpha, 1 / count);
  const delta = intervalMs - s.meanMs;
  const meanMs = s.meanMs + w * delta;
  // West's weighted incremental variance: equals Welford while w = 1/n, the EW variance afterwards
  const varianceMs2 = count === 1 ? 0 : (1 - w) * (s.varianceMs2 + w * delta * delta);
  return { count, meanMs, varianceMs2 };
}

/** Checks a history read back from storage; anything malformed becomes EMPTY_STATS (the fixed rule applies). */
export function restoreStats(raw: { count?: unknown; meanMs?: unknown; varianceMs2?: unknown } | null | undefined): IntervalStats {
  const count = Number(raw?.count), meanMs = Number(raw?.meanMs), varianceMs2 = Number(raw?.varianceMs2);
  if (!(Number.isInteger(count) && count >= 0 && meanMs >= 0 && varianceMs2 >= 0 && Number.isFinite(meanMs) && Number.isFinite(varianceMs2))) return EMPTY_STATS;
  return { count, meanMs, varianceMs2 };
}

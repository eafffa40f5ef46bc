/**
 * Predictive failure analysis: fit a robust trend to a recent window of one signal and say when
 * it reaches its limit (RSS → PERF_RSS_MB or the cgroup limit, lag or heartbeat gaps → the stale
 * bound, error rate → a ceiling).
 *
 * Theil-Sen: the slope is the median of the pairwise slopes, here only of pairs at least
 * `minLagShare` of the window apart. Short pairs inside one GC cycle of a sawtooth all rise; long
 * pairs straddle several cycles and cancel, so the sawtooth's up-strokes do not read as a leak.
 * The intercept is the median of x - slope·t. Three checks must agree before "degrading":
 *  - confidence = share of those pairs that rise (1 = every later point is higher; a sawtooth or
 *    noise gives about 0.5) ≥ minConfidence;
 *  - the rise is steady: each half of the window, fitted alone, rises at least `minHalfSlopeShare`
 *    of the whole window's slope (a step change rises only where it happened: both halves are flat);
 *  - the limit is reached within `horizonMs`.
 * The estimate comes with a range from the 25th and 75th percentile pairwise slopes.
 */

export interface Sample {
  t: number;
  x: number;
}

export interface TrendOptions {
  /** Pairs closer than this share of the window's span are not used. @defaultValue 0.25 */
  minLagShare: number;
  /** @defaultValue 0.8 */
  minConfidence: number;
  /** Each half of the window must rise at least this share of the whole window's slope. @defaultValue 0.4 */
  minHalfSlopeShare: number;
  /** Predictions further out than this are not reported. @defaultValue 6 h */
  horizonMs: number;
  /** Fewer samples than this: no verdict. @defaultValue 12 */
  minSamples: number;
}

export const TREND_DEFAULTS: TrendOptions = Object.freeze({
  minLagShare: 0.25, minConfidence: 0.7, minHalfSlopeShare: 0.4, horizonMs: 6 * 3600_000, minSamples: 12,
});

export interface Fit {
  /** Units per ms. */
  slope: number;
  /** The line's value at `t`. */
  at: (t: number) => number;
  /** Share of the used pairs whose slope is positive (0..1). */
  confidence: number;
  /** Median absolute residual over the rise the line claims across the window (0 = a perfect line). */
  residualShare: number;
  slopeLow: number;
  slopeHigh: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function quantileSorted(s: number[], q: number): number {
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/** The Theil-Sen fit of `samples` (sorted or not); null with fewer than 3 points or no time span. */
export function theilSen(samples: Sample[], minLagShare = TREND_DEFAULTS.minLagShare): Fit | null {
  const pts = [...samples].filter((p) => Number.isFinite(p.t) && Number.isFinite(p.x)).sort((a, b) => a.t - b.t);
  if (pts.length < 3) return null;
  const span = pts[pts.length - 1]!.t - pts[0]!.t;
  if (!(span > 0)) return null;
  const minLag = minLagShare * span;
  const slopes: number[] = [];
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      const dt = pts[j]!.t - pts[i]!.t;
      if (dt >= minLag && dt > 0) slopes.push((pts[j]!.x - pts[i]!.x) / dt);
    }
  }
  if (slopes.length === 0) return null;
  slopes.sort((a, b) => a - b);
  const slope = median(slopes);
  const t0 = pts[0]!.t;
  const intercept = median(pts.map((p) => p.x - slope * (p.t - t0)));
  const at = (t: number) => intercept + slope * (t - t0);
  const rise = Math.abs(slope * span);
  const mad = median(pts.map((p) => Math.abs(p.x - at(p.t))));
  return {
    slope,
    at,
    confidence: slopes.filter((s) => s > 0).length / slopes.length,
    residualShare: rise > 0 ? mad / rise : Infinity,
    slopeLow: quantileSorted(slopes, 0.25),
    slopeHigh: quantileSorted(slopes, 0.75),
  };
}

export interface Forecast {
  degrading: boolean;
  /** Estimated ms until the line reaches `limit` (Infinity when not rising). */
  timeToLimitMs: number;
  /** The range from the 75th (soonest) and 25th (latest) percentile slopes. */
  soonestMs: number;
  latestMs: number;
  confidence: number;
  /** Why it is or is not degrading, in words. */
  reason: string;
  fit: Fit | null;
}

const none = (reason: string, fit: Fit | null = null): Forecast =>
  ({ degrading: false, timeToLimitMs: Infinity, soonestMs: Infinity, latestMs: Infinity, confidence: fit?.confidence ?? 0, reason, fit });

/** When (from `now`) the signal in `window` reaches `limit` if the trend holds, and whether to say so. */
export function forecast(window: Sample[], limit: number, now: number, opts: Partial<TrendOptions> = {}): Forecast {
  const o = { ...TREND_DEFAULTS, ...opts };
  if (window.length < o.minSamples) return none(`too few samples (${window.length} < ${o.minSamples})`);
  const fit = theilSen(window, o.minLagShare);
  if (!fit) return none("no time span");
  if (!(fit.slope > 0)) return none("not rising", fit);
  const level = fit.at(now);
  const ttl = (s: number) => (s > 0 ? Math.max(0, (limit - level) / s) : Infinity);
  const base = { timeToLimitMs: ttl(fit.slope), soonestMs: ttl(fit.slopeHigh), latestMs: ttl(fit.slopeLow), confidence: fit.confidence, fit };
  if (fit.confidence < o.minConfidence) return { ...base, degrading: false, reason: `rising in only ${(fit.confidence * 100).toFixed(0)}% of pairs` };
  if (!risesThroughout(window, fit.slope, o)) return { ...base, degrading: false, reason: "not a steady rise (a step or a burst)" };
  if (base.timeToLimitMs > o.horizonMs) return { ...base, degrading: false, reason: "limit beyond the horizon" };
  return { ...base, degrading: true, reason: "steady rise towards the limit" };
}

function risesThroughout(window: Sample[], slope: number, o: TrendOptions): boolean {
  const pts = [...window].sort((a, b) => a.t - b.t);
  const mid = pts.length >> 1;
  return [pts.slice(0, mid), pts.slice(mid)].every((half) => {
    const f = theilSen(half, o.minLagShare);
    return f !== null && f.slope >= o.minHalfSlopeShare * slope;
  });
}

/** "40 s", "14 min", "2.5 h": how far off a forecast is, in words. */
export function forecastDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "never";
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 90 * 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3600_000).toFixed(1)} h`;
}

/** "degrading: RSS will reach the limit in about 14 min (11-18 min, confidence 0.97)". */
export function describeForecast(signal: string, f: Forecast): string {
  if (!f.degrading) return `${signal}: ok (${f.reason})`;
  return `degrading: ${signal} will reach the limit in about ${forecastDuration(f.timeToLimitMs)} ` +
    `(${forecastDuration(f.soonestMs)}-${forecastDuration(f.latestMs)}, confidence ${f.confidence.toFixed(2)})`;
}

/**
 * Anomaly detection on one of an agent's own signals (RSS, CPU, event-loop lag, heartbeat write
 * latency, error rate): is this value far outside the agent's recent behaviour, for long enough?
 *
 * A robust EWMA (Huber-clipped): centre and scale follow the signal with weight `alpha`, but each
 * sample moves them by at most `clip` scales, so a spike barely shifts the baseline (a plain EWMA's
 * variance would balloon and hide the next real anomaly). A sample is "out" when it is more than
 * `z` scales above (or below, if `twoSided`) the centre; the signal is anomalous after
 * `minDuration` consecutive outs, so one spike is never an anomaly. A lasting level change is
 * flagged, then learned: the clipped updates walk the baseline to the new level and the flag clears.
 * State: five numbers per signal.
 */

export interface SignalState {
  n: number;
  center: number;
  /** Robust std-dev estimate (EW root mean of clipped squared residuals). */
  scale: number;
  /** Consecutive samples outside the band. */
  run: number;
  anomalous: boolean;
}

export const EMPTY_SIGNAL: SignalState = Object.freeze({ n: 0, center: 0, scale: 0, run: 0, anomalous: false });

export interface AnomalyOptions {
  /** @defaultValue 0.05 */
  alpha: number;
  /** Band half-width in scales. @defaultValue 5 */
  z: number;
  /** Residuals are clipped at this many scales when learning. @defaultValue 2 */
  clip: number;
  /** Consecutive outs before the signal is anomalous. @defaultValue 3 */
  minDuration: number;
  /** Samples learned before anything is flagged. @defaultValue 10 */
  warmup: number;
  /** Scale never below this share of |centre| (a flat signal must not flag a 1% change). @defaultValue 0.05 */
  minRelativeScale: number;
  /** …nor below this absolute amount, in the signal's unit. @defaultValue 0 */
  minAbsoluteScale: number;
  /** Flag low values too (all five default signals are "high is bad"). @defaultValue false */
  twoSided: boolean;
}

export const ANOMALY_DEFAULTS: AnomalyOptions = Object.freeze({
  alpha: 0.05, z: 5, clip: 2, minDuration: 3, warmup: 10, minRelativeScale: 0.05, minAbsoluteScale: 0, twoSided: false,
});

export interface SignalUpdate {
  state: SignalState;
  /** How many scales this sample sits from the centre (signed). */
  score: number;
  /** True on the sample that turned the signal anomalous (log and notify once). */
  started: boolean;
  /** True on the sample that ended an anomaly. */
  ended: boolean;
}

function effectiveScale(s: SignalState, o: AnomalyOptions): number {
  return Math.max(s.scale, o.minRelativeScale * Math.abs(s.center), o.minAbsoluteScale, Number.MIN_VALUE);
}

export function observeSignal(s: SignalState, x: number, opts: Partial<AnomalyOptions> = {}): SignalUpdate {
  const o = { ...ANOMALY_DEFAULTS, ...opts };
  if (!Number.isFinite(x)) return { state: s, score: 0, started: false, ended: false };
  const n = s.n + 1;
  if (s.n < o.warmup) {
    // warm-up: plain equal-weight mean and variance, nothing flagged
    const w = 1 / n, d = x - s.center;
    const center = s.center + w * d;
    const variance = n === 1 ? 0 : (1 - w) * (s.scale * s.scale + w * d * d);
    return { state: { n, center, scale: Math.sqrt(variance), run: 0, anomalous: false }, score: 0, started: false, ended: false };
  }
  const scale = effectiveScale(s, o);
  const score = (x - s.center) / scale;
  const out = o.twoSided ? Math.abs(score) > o.z : score > o.z;
  const run = out ? s.run + 1 : 0;
  const anomalous = out ? s.anomalous || run >= o.minDuration : false;
  const clipped = Math.max(-o.clip, Math.min(o.clip, score));
  const center = s.center + o.alpha * clipped * scale;
  const nextScale = Math.sqrt((1 - o.alpha) * s.scale * s.scale + o.alpha * (clipped * scale) ** 2);
  return {
    state: { n, center, scale: nextScale, run, anomalous },
    score,
    started: anomalous && !s.anomalous,
    ended: !anomalous && s.anomalous,
  };
}

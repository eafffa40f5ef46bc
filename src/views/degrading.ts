/**
 * `degrading`: an agent whose signal rises steadily towards the limit where it fails, from the
 * per-agent samples the PerformanceMonitorAgent stores (a Theil-Sen trend, src/intelligence/trend.ts)
 * over the current run only (a restart starts a new series). Derived at read time like `late`;
 * nothing is stored. Shown in the detail API/dashboard, `status` and /metrics; PROACTIVE_RESTART
 * acts on it. The signals and their limits:
 *   RSS towards PERF_RSS_MB;
 *   event-loop lag towards the agent's stale bound (a loop that late cannot heartbeat in time);
 *   heartbeat gaps (the running mean of its gaps) towards STALE_THRESHOLD (its adaptive bound
 *   grows with its gaps; the threshold does not);
 *   error rate towards one error per cycle (60 / HEARTBEAT_INTERVAL a minute: every cycle fails,
 *   and RETRY_ATTEMPTS later the agent is failed).
 */
import { describeForecast, forecast, forecastDuration } from "../intelligence/index.js";
import { PERF_METRICS, type PerfStore } from "../storage/index.js";

export const DEGRADING_SIGNALS = ["rss", "eventLoopLag", "heartbeatGap", "errorRate"] as const;
export type DegradingSignal = (typeof DEGRADING_SIGNALS)[number];

const SOURCES: Record<DegradingSignal, { metric: string; label: string }> = {
  rss: { metric: PERF_METRICS.agentRss, label: "RSS" },
  eventLoopLag: { metric: PERF_METRICS.agentLoopLag, label: "event-loop lag" },
  heartbeatGap: { metric: PERF_METRICS.agentHeartbeatGap, label: "heartbeat gap" },
  errorRate: { metric: PERF_METRICS.agentErrorsPerMin, label: "error rate" },
};

export interface DegradingView {
  signal: DegradingSignal;
  /** The level it is heading for, in the signal's unit (bytes, ms, errors a minute). */
  limit: number;
  /** Estimated ms until the signal reaches the limit. */
  timeToLimitMs: number;
  soonestMs: number;
  latestMs: number;
  confidence: number;
  /** "degrading: RSS will reach the limit in about 14 min (12 min-17 min, confidence 0.97)" */
  text: string;
}

/** How far back the trend looks (never before the agent's current run began). */
export const DEGRADING_WINDOW_MS = 30 * 60_000;

export type DegradingLimits = Record<DegradingSignal, number>;

export interface LimitSettings {
  perfRssMb: number;
  heartbeatIntervalMs: number;
  staleThresholdMs: number;
}

/** The limits for one agent; `staleAfterMs` is its own stale bound (adaptive detection), else STALE_THRESHOLD. */
export function degradingLimits(c: LimitSettings, staleAfterMs = c.staleThresholdMs): DegradingLimits {
  const bound = Math.min(staleAfterMs, c.staleThresholdMs);
  return { rss: c.perfRssMb * 1024 * 1024, eventLoopLag: bound, heartbeatGap: c.staleThresholdMs, errorRate: 60_000 / c.heartbeatIntervalMs };
}

/** The forecast of one signal from its points (epoch ms, value); null when it is not degrading. */
export function signalDegrading(signal: DegradingSignal, points: Array<{ at: number; value: number }>, limit: number, now: number): DegradingView | null {
  const f = forecast(points.map((p) => ({ t: p.at, x: p.value })), limit, now);
  if (!f.degrading) return null;
  const round = (ms: number) => Math.round(ms);
  return { signal, limit, timeToLimitMs: round(f.timeToLimitMs), soonestMs: round(f.soonestMs), latestMs: round(f.latestMs),
    confidence: Math.round(f.confidence * 100) / 100, text: describeForecast(SOURCES[signal].label, f) };
}

/** The RSS forecast (bytes) towards `limitBytes`. */
export function rssDegrading(points: Array<{ at: number; value: number }>, limitBytes: number, now: number): DegradingView | null {
  return signalDegrading("rss", points, limitBytes, now);
}

/** Every degrading signal of the agent's current run (started at `runStartedAt`), soonest to its limit first. */
export async function readDegradingAll(perf: Pick<PerfStore, "recent">, agent: string, runStartedAt: number, limits: DegradingLimits, now: number): Promise<DegradingView[]> {
  const since = Math.max(now - DEGRADING_WINDOW_MS, runStartedAt);
  const out: DegradingView[] = [];
  for (const signal of DEGRADING_SIGNALS) {
    const points = await perf.recent({ metric: SOURCES[signal].metric, agent, since, limit: 200 });
    const v = signalDegrading(signal, points, limits[signal], now);
    if (v) out.push(v);
  }
  return out.sort((a, b) => a.timeToLimitMs - b.timeToLimitMs);
}

/** The agent's most urgent degrading signal, or null. */
export async function readDegrading(perf: Pick<PerfStore, "recent">, agent: string, runStartedAt: number, limits: DegradingLimits, now: number): Promise<DegradingView | null> {
  return (await readDegradingAll(perf, agent, runStartedAt, limits, now))[0] ?? null;
}

/** "RSS limit in 6 min": the reason a proactive restart records. */
export function limitPhrase(v: DegradingView): string {
  return `${SOURCES[v.signal].label} limit in ${forecastDuration(v.timeToLimitMs)}`;
}

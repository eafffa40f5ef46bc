/**
 * `degrading`: an agent whose RSS rises steadily towards PERF_RSS_MB, from the per-agent RSS samples
 * the PerformanceMonitorAgent already stores (a Theil-Sen trend, src/intelligence/trend.ts). Derived
 * at read time like `late`; nothing is stored. Shown in the detail API/dashboard and `status --json`.
 */
import { describeForecast, forecast } from "../intelligence/index.js";
import { PERF_METRICS, type PerfStore } from "../storage/index.js";

export interface DegradingView {
  signal: "rss";
  /** Estimated ms until RSS reaches the limit. */
  timeToLimitMs: number;
  soonestMs: number;
  latestMs: number;
  confidence: number;
  /** "degrading: RSS will reach the limit in about 14 min (12 min-17 min, confidence 0.97)" */
  text: string;
}

/** How far back the trend looks. */
export const DEGRADING_WINDOW_MS = 30 * 60_000;

/** The forecast from RSS points (epoch ms, bytes); null when the agent is not degrading. */
export function rssDegrading(points: Array<{ at: number; value: number }>, limitBytes: number, now: number): DegradingView | null {
  const f = forecast(points.map((p) => ({ t: p.at, x: p.value })), limitBytes, now);
  if (!f.degrading) return null;
  const round = (ms: number) => Math.round(ms);
  return { signal: "rss", timeToLimitMs: round(f.timeToLimitMs), soonestMs: round(f.soonestMs), latestMs: round(f.latestMs),
    confidence: Math.round(f.confidence * 100) / 100, text: describeForecast("RSS", f) };
}

/** Reads the agent's recent RSS samples and forecasts. */
export async function readDegrading(perf: Pick<PerfStore, "recent">, agent: string, rssLimitMb: number, now: number): Promise<DegradingView | null> {
  const points = await perf.recent({ metric: PERF_METRICS.agentRss, agent, since: now - DEGRADING_WINDOW_MS, limit: 200 });
  return rssDegrading(points, rssLimitMb * 1024 * 1024, now);
}

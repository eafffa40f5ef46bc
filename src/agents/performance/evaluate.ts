/**
 * Threshold evaluation with memory: a warning when a value crosses its limit, nothing while it
 * stays above, an "ok again" when it falls below 80% of the limit (hysteresis, so a value that
 * hovers at the limit does not warn every cycle).
 */
import { PERF_METRICS, type PerfSample } from "../../storage/index.js";

export interface Thresholds {
  /** DB probe p95 in ms (seed: < 100 ms). */
  dbResponseMs: number;
  /** CPU % of one core per agent (seed: < 1%). */
  cpuPercent: number;
  rssBytes: number;
}

export interface Crossing {
  key: string;
  metric: string;
  agent: string;
  value: number;
  limit: number;
}

const CLEAR_RATIO = 0.8;

export function thresholdsFrom(c: { perfDbResponseMs?: number; perfCpuPercent?: number; perfRssMb?: number }): Thresholds {
  return { dbResponseMs: c.perfDbResponseMs ?? 100, cpuPercent: c.perfCpuPercent ?? 1, rssBytes: (c.perfRssMb ?? 512) * 1024 * 1024 };
}

function limitOf(metric: string, t: Thresholds): number | undefined {
  if (metric === PERF_METRICS.dbProbeP95) return t.dbResponseMs;
  if (metric === PERF_METRICS.agentCpu) return t.cpuPercent;
  if (metric === PERF_METRICS.agentRss) return t.rssBytes;
  return undefined;
}

export function evaluateSamples(samples: PerfSample[], t: Thresholds, breached: readonly string[]): { breached: string[]; crossed: Crossing[]; cleared: Crossing[] } {
  const was = new Set(breached);
  const now = new Set<string>();
  const crossed: Crossing[] = [];
  const cleared: Crossing[] = [];
  for (const s of samples) {
    const limit = limitOf(s.metric, t);
    if (limit === undefined) continue;
    const agent = s.agent ?? "";
    const key = `${s.metric}|${agent}`;
    const c = { key, metric: s.metric, agent, value: s.value, limit };
    if (was.has(key)) {
      if (s.value < limit * CLEAR_RATIO) cleared.push(c);
      else now.add(key);
    } else if (s.value > limit) {
      crossed.push(c);
      now.add(key);
    }
  }
  return { breached: [...now].sort(), crossed, cleared };
}

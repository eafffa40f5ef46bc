/**
 * Threshold alerts the way Prometheus's `for:` works, with hysteresis both ways: a value above its
 * limit makes an alert pending; it fires (one warning) only once it has stayed at or above the
 * clear level (80% of the limit) for `forMs` and is above the limit again. A firing alert resolves
 * (one "back to normal") only after its value has stayed under the limit for `forMs` since it fell
 * below the clear level. Nothing starts during an agent's start-up grace (start-up CPU is no alarm).
 */
import { PERF_METRICS, type PerfSample } from "../../storage/index.js";
import type { Config } from "../../config/index.js";

export interface Thresholds {
  /** DB probe p95 in ms (seed: < 100 ms). */
  dbResponseMs: number;
  /** CPU % of one core per agent. */
  cpuPercent: number;
  rssBytes: number;
}

export interface AlertRules {
  /** How long a condition must hold before it fires, and be gone before it resolves. */
  forMs: number;
  /** After an agent (re)starts, its samples start no alert for this long. */
  startupGraceMs: number;
}

export type AlertPhase = "pending" | "firing" | "resolving";

export interface AlertState {
  phase: AlertPhase;
  /** When the current phase began. */
  since: number;
  /** When the alert first went pending (a firing alert's whole story). */
  startedAt: number;
  /** When a sample last carried this key. */
  seenAt: number;
}

export type Alerts = Record<string, AlertState>;

export interface Crossing {
  key: string;
  metric: string;
  agent: string;
  value: number;
  limit: number;
  /** How long the condition held (fired) or the alert lasted (resolved), in ms. */
  forMs: number;
}

export interface EvaluateInput {
  samples: readonly PerfSample[];
  thresholds: Thresholds;
  rules: AlertRules;
  alerts: Alerts;
  now: number;
  /** When the agent's current run began; fleet-wide samples (agent "") ask for the PerformanceMonitorAgent's. */
  startedAt: (agent: string) => number | undefined;
}

export interface Evaluation {
  alerts: Alerts;
  fired: Crossing[];
  resolved: Crossing[];
}

const CLEAR_RATIO = 0.8;

export function thresholdsFrom(c: Pick<Config, "perfDbResponseMs" | "perfCpuPercent" | "perfRssMb">): Thresholds {
  return { dbResponseMs: c.perfDbResponseMs, cpuPercent: c.perfCpuPercent, rssBytes: c.perfRssMb * 1024 * 1024 };
}

export function rulesFrom(c: Pick<Config, "perfAlertForMs" | "perfStartupGraceMs">): AlertRules {
  return { forMs: c.perfAlertForMs, startupGraceMs: c.perfStartupGraceMs };
}

function limitOf(metric: string, t: Thresholds): number | undefined {
  if (metric === PERF_METRICS.dbProbeP95) return t.dbResponseMs;
  if (metric === PERF_METRICS.agentCpu) return t.cpuPercent;
  if (metric === PERF_METRICS.agentRss) return t.rssBytes;
  return undefined;
}

/** The metrics that have a limit: only their agents' start times are needed. */
export function alertable(s: PerfSample, t: Thresholds): boolean {
  return limitOf(s.metric, t) !== undefined;
}

export function evaluateSamples(i: EvaluateInput): Evaluation {
  const { now, rules } = i;
  const next: Alerts = {};
  const fired: Crossing[] = [];
  const resolved: Crossing[] = [];
  for (const s of i.samples) {
    const limit = limitOf(s.metric, i.thresholds);
    if (limit === undefined) continue;
    const agent = s.agent ?? "";
    const key = `${s.metric}|${agent}`;
    const crossing = (forMs: number): Crossing => ({ key, metric: s.metric, agent, value: s.value, limit, forMs });
    const a = i.alerts[key];
    const started = i.startedAt(agent);
    const inGrace = started !== undefined && now - started < rules.startupGraceMs;
    const above = s.value > limit;
    const cleared = s.value < limit * CLEAR_RATIO;
    if (!a || (a.phase === "pending" && (inGrace || cleared))) {
      // nothing yet (or a pending alert that did not hold): start one only outside the grace
      if (inGrace || !above) continue;
      if (rules.forMs <= 0) {
        fired.push(crossing(0));
        next[key] = { phase: "firing", since: now, startedAt: now, seenAt: now };
      } else {
        next[key] = { phase: "pending", since: now, startedAt: now, seenAt: now };
      }
      continue;
    }
    if (a.phase === "pending") {
      if (above && now - a.since >= rules.forMs) {
        fired.push(crossing(now - a.since));
        next[key] = { phase: "firing", since: now, startedAt: a.startedAt, seenAt: now };
      } else {
        next[key] = { ...a, seenAt: now };
      }
      continue;
    }
    if (a.phase === "firing") {
      if (cleared && rules.forMs <= 0) resolved.push(crossing(now - a.startedAt));
      else next[key] = cleared ? { ...a, phase: "resolving", since: now, seenAt: now } : { ...a, seenAt: now };
      continue;
    }
    // resolving: back above the limit is the same alert, still firing; under it for long enough ends it
    if (above) next[key] = { ...a, phase: "firing", since: now, seenAt: now };
    else if (now - a.since >= rules.forMs) resolved.push(crossing(now - a.startedAt));
    else next[key] = { ...a, seenAt: now };
  }
  // an alert whose subject was not sampled this time (not in the detail sample) is kept a while, then forgotten
  const sampled = new Set(i.samples.map((s) => `${s.metric}|${s.agent ?? ""}`));
  for (const [key, a] of Object.entries(i.alerts)) {
    if (!sampled.has(key) && now - a.seenAt < Math.max(rules.forMs, 1)) next[key] = a;
  }
  return { alerts: next, fired, resolved };
}

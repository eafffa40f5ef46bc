/**
 * How suspicious an agent's silence is (adaptive detection, docs/detection.md): phi now, the age
 * at which it is stale and the rule behind that age, from the rhythm its heartbeats stored. Shown
 * in the dashboard's detail, `status --json` and /metrics; the sweep itself reads the stored bound.
 */
import { judge, phiOptions, PHI_DEFAULTS, type StaleRule } from "../intelligence/index.js";
import type { AgentRecord } from "../storage/index.js";

export interface SuspicionView {
  /** -log10(P(a gap this long | alive)); 0 with too little history. */
  phi: number;
  /** PHI_THRESHOLD. */
  phiThreshold: number;
  /** The age at which this agent is stale (its own bound, never above STALE_THRESHOLD). */
  staleAfterMs: number;
  rule: StaleRule;
  /** Its mean heartbeat period, ms (null before a gap was learned). */
  meanIntervalMs: number | null;
  intervals: number;
}

export interface SuspicionOptions {
  staleThresholdMs: number;
  /** @defaultValue 8 */
  phiThreshold?: number;
  /** DETECTION: with "fixed" the bound is STALE_THRESHOLD for everyone. @defaultValue "adaptive" */
  detection?: "fixed" | "adaptive";
}

export function toSuspicionView(a: AgentRecord, now: number, o: SuspicionOptions): SuspicionView {
  const opts = phiOptions({ staleThresholdMs: o.staleThresholdMs, phiThreshold: o.phiThreshold ?? PHI_DEFAULTS.phiThreshold });
  const h = a.history ?? { count: 0, meanMs: 0, varianceMs2: 0, staleAfterMs: null };
  const j = judge({ count: h.count, meanMs: h.meanMs, varianceMs2: h.varianceMs2 }, Math.max(0, now - a.lastHeartbeat), opts);
  const fixed = o.detection === "fixed";
  return {
    phi: Math.round(j.phi * 100) / 100,
    phiThreshold: opts.phiThreshold,
    staleAfterMs: fixed ? opts.staleThresholdMs : Math.round(j.staleAfterMs),
    rule: fixed ? "fixed" : j.rule,
    meanIntervalMs: h.count > 0 ? Math.round(h.meanMs) : null,
    intervals: h.count,
  };
}

/**
 * The five signals a heartbeat carries, watched together for one agent: per-signal settings (the
 * absolute floor under each spread, so a 2 ms → 4 ms lag wobble is not an anomaly) and one
 * serialisable record per agent (25 numbers). Only signals present in a sample are updated.
 */
import { EMPTY_SIGNAL, observeSignal, type AnomalyOptions, type SignalState } from "./anomaly.js";

export const SIGNALS = ["rssBytes", "cpuPercent", "eventLoopLagMs", "writeLatencyMs", "errorsPerMin"] as const;
export type SignalName = (typeof SIGNALS)[number];

/** A heartbeat's figures; errorsPerMin is derived with `errorsPerMinute` from the cumulative error count. */
export type SignalSample = Partial<Record<SignalName, number>>;
export type AgentSignals = Partial<Record<SignalName, SignalState>>;

export const SIGNAL_OPTIONS: Record<SignalName, Partial<AnomalyOptions>> = {
  rssBytes: { minAbsoluteScale: 8 * 1024 * 1024 },
  cpuPercent: { minAbsoluteScale: 2 },
  eventLoopLagMs: { minAbsoluteScale: 5 },
  writeLatencyMs: { minAbsoluteScale: 5 },
  errorsPerMin: { minAbsoluteScale: 0.5 },
};

export interface AgentSignalsUpdate {
  state: AgentSignals;
  /** Signals that became anomalous with this sample (log and notify these once). */
  started: SignalName[];
  ended: SignalName[];
  /** Signals anomalous after this sample. */
  anomalous: SignalName[];
}

export function observeAgentSignals(state: AgentSignals, sample: SignalSample): AgentSignalsUpdate {
  const next: AgentSignals = { ...state };
  const started: SignalName[] = [], ended: SignalName[] = [];
  for (const name of SIGNALS) {
    const x = sample[name];
    if (x === undefined) continue;
    const u = observeSignal(state[name] ?? EMPTY_SIGNAL, x, SIGNAL_OPTIONS[name]);
    next[name] = u.state;
    if (u.started) started.push(name);
    if (u.ended) ended.push(name);
  }
  return { state: next, started, ended, anomalous: SIGNALS.filter((n) => next[n]?.anomalous) };
}

/** Errors per minute between two heartbeats from the cumulative error count; undefined when it cannot tell (first beat, counter reset). */
export function errorsPerMinute(prevCount: number | undefined, count: number, elapsedMs: number): number | undefined {
  if (prevCount === undefined || !(elapsedMs > 0) || count < prevCount) return undefined;
  return ((count - prevCount) * 60_000) / elapsedMs;
}

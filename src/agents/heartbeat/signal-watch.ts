/**
 * Anomaly detection on the agents' own signals, run by the monitor's leader at each check: the
 * newest per-agent sample set the PerformanceMonitorAgent stored (RSS, CPU, event-loop lag,
 * heartbeat write latency, error rate) goes through each agent's detectors
 * (src/intelligence/agent-signals.ts). A sample set is observed once per agent (its time is kept
 * with the detectors), so a re-run node, a restart or a failover neither double-counts nor forgets.
 * Starts and ends become events in the same write as the detectors: logged and notified once.
 */
import { observeAgentSignals, SIGNALS, type AgentSignals, type SignalName, type SignalSample, type SignalState } from "../../intelligence/index.js";
import { PERF_METRICS, type AgentSignalsRecord, type LeaseFence, type NewAnomalyEvent, type PerfPoint, type SignalStore, type PerfStore } from "../../storage/index.js";
import { describeAnomaly } from "../../views/anomalies.js";

const METRIC_SIGNAL: Record<string, SignalName> = {
  [PERF_METRICS.agentRss]: "rssBytes",
  [PERF_METRICS.agentCpu]: "cpuPercent",
  [PERF_METRICS.agentLoopLag]: "eventLoopLagMs",
  [PERF_METRICS.agentHeartbeatLatency]: "writeLatencyMs",
  [PERF_METRICS.agentErrorsPerMin]: "errorsPerMin",
};

/** Anomaly events are kept this long. */
export const ANOMALY_RETENTION_MS = 30 * 86_400_000;

/** The per-agent samples of one sample set, by agent. */
export function samplesByAgent(points: readonly PerfPoint[]): Map<string, SignalSample> {
  const out = new Map<string, SignalSample>();
  for (const p of points) {
    const signal = METRIC_SIGNAL[p.metric];
    if (!signal || !p.agent) continue;
    const s = out.get(p.agent) ?? {};
    s[signal] = p.value;
    out.set(p.agent, s);
  }
  return out;
}

const isState = (v: unknown): v is SignalState => {
  const s = v as Partial<SignalState> | null;
  return !!s && [s.n, s.center, s.scale, s.run].every((x) => typeof x === "number" && Number.isFinite(x)) && typeof s.anomalous === "boolean";
};

/** Detector state read back from storage; anything malformed starts that signal afresh. */
export function restoreSignals(raw: Record<string, unknown> | undefined): AgentSignals {
  const out: AgentSignals = {};
  for (const name of SIGNALS) if (isState(raw?.[name])) out[name] = raw![name] as SignalState;
  return out;
}

export interface Observation {
  records: AgentSignalsRecord[];
  events: NewAnomalyEvent[];
}

/** One sample set at `at` through each agent's detectors. Pure. Agents whose record already saw `at` are skipped. */
export function observeSampleSet(at: number, samples: ReadonlyMap<string, SignalSample>, prior: readonly AgentSignalsRecord[]): Observation {
  const byAgent = new Map(prior.map((r) => [r.agent, r]));
  const records: AgentSignalsRecord[] = [];
  const events: NewAnomalyEvent[] = [];
  for (const [agent, sample] of samples) {
    const before = byAgent.get(agent);
    if (before && before.sampledAt >= at) continue;
    const state = restoreSignals(before?.state);
    const u = observeAgentSignals(state, sample);
    const open = { ...(before?.open ?? {}) };
    for (const signal of u.started) {
      const value = sample[signal]!, baseline = state[signal]!.center;
      const text = describeAnomaly(signal, value, baseline);
      open[signal] = { since: at, value, baseline, text };
      events.push({ at, agent, signal, kind: "started", value, baseline, text });
    }
    for (const signal of u.ended) {
      const value = sample[signal]!, baseline = u.state[signal]!.center;
      delete open[signal];
      events.push({ at, agent, signal, kind: "ended", value, baseline, text: `${describeAnomaly(signal, value, baseline)}: back to normal` });
    }
    // an open anomaly the detectors no longer carry (state reset) is closed, not left open forever
    for (const signal of Object.keys(open)) if (!u.state[signal as SignalName]?.anomalous && !u.started.includes(signal as SignalName)) delete open[signal];
    records.push({ agent, sampledAt: at, state: u.state as Record<string, unknown>, open });
  }
  return { records, events };
}

export interface WatchInput {
  store: { perf: Pick<PerfStore, "latest">; signals: SignalStore };
  /** The leader's fence (PostgreSQL): a monitor that lost its lease writes nothing. */
  fence?: LeaseFence;
}

/** Observes the newest sample set; returns the events it wrote (empty when nothing was new or the fence failed). */
export async function watchSignals(i: WatchInput): Promise<NewAnomalyEvent[]> {
  const latest = await i.store.perf.latest();
  if (!latest) return [];
  const samples = samplesByAgent(latest.samples);
  if (samples.size === 0) return [];
  const prior = await i.store.signals.read([...samples.keys()]);
  const o = observeSampleSet(latest.at, samples, prior);
  if (o.records.length === 0) return [];
  if (!(await i.store.signals.save(o.records, o.events, i.fence))) return [];
  if (o.events.length) await i.store.signals.prune(latest.at - ANOMALY_RETENTION_MS);
  return o.events;
}

/**
 * An agent's anomalies as people read them: which signal, since when, its value then and its usual
 * level ("RSS 412 MB, usually 80 MB"). The monitor writes the words once, when an anomaly starts;
 * the dashboard's detail, `status` and /metrics show the open ones (docs/detection.md).
 */
import type { AgentSignalsRecord } from "../storage/index.js";
import { isoTime } from "./iso-time.js";

export const SIGNAL_LABELS: Record<string, string> = {
  rssBytes: "RSS",
  cpuPercent: "CPU",
  eventLoopLagMs: "event-loop lag",
  writeLatencyMs: "heartbeat write latency",
  errorsPerMin: "error rate",
};

function amount(signal: string, v: number): string {
  if (signal === "rssBytes") return `${Math.round(v / (1024 * 1024))} MB`;
  if (signal === "cpuPercent") return `${v.toFixed(v < 10 ? 1 : 0)}%`;
  if (signal === "errorsPerMin") return `${v.toFixed(v < 10 ? 1 : 0)}/min`;
  return `${v.toFixed(v < 10 ? 1 : 0)} ms`;
}

/** "RSS 412 MB, usually 80 MB" */
export function describeAnomaly(signal: string, value: number, baseline: number): string {
  return `${SIGNAL_LABELS[signal] ?? signal} ${amount(signal, value)}, usually ${amount(signal, baseline)}`;
}

export interface AnomalyView {
  signal: string;
  /** ISO time of the sample that made it an anomaly. */
  since: string;
  value: number;
  baseline: number;
  text: string;
}

/** The open anomalies of one record, oldest first. */
export function toAnomalyViews(r: AgentSignalsRecord | undefined): AnomalyView[] {
  if (!r) return [];
  return Object.entries(r.open)
    .sort(([, a], [, b]) => a.since - b.since)
    .map(([signal, a]) => ({ signal, since: isoTime(a.since), value: a.value, baseline: a.baseline, text: a.text }));
}

/** Reads one agent's open anomalies. */
export async function readAnomalies(signals: { read(agents: readonly string[]): Promise<AgentSignalsRecord[]> }, agent: string): Promise<AnomalyView[]> {
  return toAnomalyViews((await signals.read([agent]))[0]);
}

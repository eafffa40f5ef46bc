/**
 * What the monitor keeps about each agent's own signals (anomaly detection, docs/detection.md):
 * the detector's state and the anomalies open now, one row per agent, and a feed of anomaly
 * starts and ends (ids only grow) that the log and the notifier read once each.
 */
import type { LeaseFence } from "./lease-types.js";

export interface OpenAnomaly {
  /** Epoch ms of the sample that turned it anomalous. */
  since: number;
  /** The signal's value then, and the agent's usual level it was judged against. */
  value: number;
  baseline: number;
  /** "RSS 412 MB, usually 80 MB" */
  text: string;
}

export interface AgentSignalsRecord {
  agent: string;
  /** The time of the sample set last observed (a sample is observed once). */
  sampledAt: number;
  /** The detector's state (src/intelligence/agent-signals.ts), kept as given. */
  state: Record<string, unknown>;
  /** Anomalies open now, by signal name. */
  open: Record<string, OpenAnomaly>;
}

export const ANOMALY_EVENT_KINDS = ["started", "ended"] as const;
export type AnomalyEventKind = (typeof ANOMALY_EVENT_KINDS)[number];

export interface AnomalyEvent {
  id: number;
  at: number;
  agent: string;
  signal: string;
  kind: AnomalyEventKind;
  value: number;
  baseline: number;
  text: string;
}

export type NewAnomalyEvent = Omit<AnomalyEvent, "id">;

export interface SignalStore {
  /** The records of these agents (those that have one), in any order. */
  read(agents: readonly string[]): Promise<AgentSignalsRecord[]>;
  /** Every record with at least one open anomaly, by agent name. */
  withOpenAnomalies(): Promise<AgentSignalsRecord[]>;
  /**
   * One transaction: upsert the records and append the events. With `fence`, only while that lease
   * holds at that epoch (false: nothing written). SQLite ignores the fence (one monitor per file).
   */
  save(records: readonly AgentSignalsRecord[], events: readonly NewAnomalyEvent[], fence?: LeaseFence): Promise<boolean>;
  /** Events with an id above `afterId` (and of `agent`), oldest first, at most `limit` (default 500). */
  events(query?: { afterId?: number; agent?: string; limit?: number }): Promise<AnomalyEvent[]>;
  /** Deletes events older than `before`; returns how many. */
  prune(before: number): Promise<number>;
}

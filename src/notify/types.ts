/** What the notifier sends: one message per group of transitions of one kind, to every channel. */
import type { AgentState } from "../storage/index.js";

export const NOTIFY_EVENTS = ["stale", "failed", "recovered", "error", "late", "flapping", "monitor", "anomaly", "test"] as const;
export type NotifyEvent = (typeof NOTIFY_EVENTS)[number];

/** Events a channel gets when its URL names no `events=`: the ones a person must act on. */
export const DEFAULT_EVENTS: readonly NotifyEvent[] = ["stale", "failed", "recovered", "error", "flapping", "monitor", "anomaly", "test"];

export interface NotifiedChange {
  agent: string;
  from: AgentState | null;
  to: AgentState;
  reason: string | null;
  /** Epoch ms of the transition. */
  at: number;
  /** The transition's id in the feed (absent for messages not made of transitions). */
  transitionId?: number;
}

export interface Notification {
  /** Stable across retries and restarts: receivers drop a repeat by it. */
  key: string;
  event: NotifyEvent;
  /** One line a person reads first ("3 agents stale: a, b, c"). */
  title: string;
  /** More lines (reasons, the storm guard's suspicion, the monitor's downtime). */
  detail: string[];
  changes: NotifiedChange[];
  /** Every agent the message is about (for `agents=` filters and the per-agent history). */
  agents: string[];
  at: number;
  host: string;
  dashboardUrl?: string;
}

export const CHANNEL_KINDS = ["webhook", "slack", "discord", "ntfy", "email"] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface ChannelSpec {
  /** Stable name of the channel, safe to show: kind + host (+ path hash), no secrets. */
  id: string;
  kind: ChannelKind;
  /** The URL the message goes to, query options removed (may hold secrets: never log it). */
  target: URL;
  events: ReadonlySet<NotifyEvent>;
  /** Agent-name globs; empty = every agent. */
  agents: readonly string[];
}

export interface DeliveryResult {
  ok: boolean;
  /** A 4xx or a refused e-mail address: retrying will not help. */
  permanent: boolean;
  /** HTTP status, or 0 when there was no answer. */
  status: number;
  error?: string;
}

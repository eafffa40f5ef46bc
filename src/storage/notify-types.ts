/**
 * What the notifier keeps (src/notify): its cursor in the transition feed with its plan state,
 * the outbox (a message is written here before it is sent, and marked when it landed), and silences.
 */
import type { LeaseFence } from "./lease-types.js";

export const DELIVERY_STATUSES = ["pending", "delivered", "dead"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface OutboxEntry {
  channel: string;
  /** The message's idempotency key; (channel, key) is written once. */
  key: string;
  event: string;
  agents: string[];
  /** The whole message, as sent (JSON-serialisable). */
  payload: unknown;
}

export interface Delivery extends OutboxEntry {
  id: number;
  createdAt: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  deliveredAt: number | null;
}

export interface DeliveryCounts {
  channel: string;
  delivered: number;
  dropped: number;
  failedAttempts: number;
}

export interface NotifierCheckpoint {
  /** The last transition id planned. */
  cursor: number;
  /** The planner's own state (src/notify/plan.ts PlanState). */
  state: unknown;
  /** When the notifier last ran (finds the monitor's own downtime). */
  tickAt: number | null;
}

export interface Silence {
  id: number;
  /** An agent name or glob (`web-*`). */
  pattern: string;
  reason: string | null;
  createdAt: number;
  until: number;
  /** The supervisor also holds restarts of matching agents. */
  holdRestarts: boolean;
}

export interface NewSilence {
  pattern: string;
  untilMs: number;
  reason?: string;
  holdRestarts?: boolean;
}

export interface NotifyStore {
  readCheckpoint(): Promise<NotifierCheckpoint>;
  /**
   * One transaction: add the entries (a (channel, key) already there is skipped) and move the checkpoint.
   * With `fence`, only while that lease holds at that epoch (false: nothing written).
   */
  commitPlan(entries: readonly OutboxEntry[], checkpoint: NotifierCheckpoint, fence?: LeaseFence): Promise<boolean>;
  /** A channel's undelivered messages, oldest first (due or not: the oldest goes first). */
  pending(channel: string, limit?: number): Promise<Delivery[]>;
  markDelivered(id: number): Promise<void>;
  /** Counts a failed attempt; `dead` stops retrying it (a 4xx). */
  markFailed(id: number, error: string, nextAttemptAt: number, dead: boolean): Promise<void>;
  /** Newest first. */
  deliveries(query?: { agent?: string; channel?: string; limit?: number }): Promise<Delivery[]>;
  /** Undelivered messages per channel. */
  backlog(): Promise<Record<string, number>>;
  /** Per channel: messages delivered, dropped (refused, not retried) and attempts that failed. */
  deliveryCounts(): Promise<DeliveryCounts[]>;
  addSilence(s: NewSilence): Promise<Silence>;
  /** Ends silences by id or by exact pattern; returns how many ended. */
  removeSilences(match: { id?: number; pattern?: string }): Promise<number>;
  /** Silences not yet expired at the store's now. */
  activeSilences(): Promise<Silence[]>;
  /** Silences in force at some time in [since, until) (ended ones too), oldest first (availability). */
  silencesOverlapping(since: number, until: number): Promise<Silence[]>;
}

/** SQLite NotifyStore: outbox rows and the notifier's checkpoint (a system_state key) move in one transaction. */
import type { Clock } from "../../clock/index.js";
import type { Delivery, DeliveryCounts, DeliveryStatus, NewSilence, NotifierCheckpoint, NotifyStore, OutboxEntry, Silence } from "../notify-types.js";
import type { Db } from "./open.js";

export interface NotifyStoreCore {
  readonly db: Db;
  write<T>(fn: () => T): Promise<T>;
  readonly clock: Pick<Clock, "now">;
}

const CHECKPOINT_KEY = "notifier";

interface OutboxRow {
  id: number; channel: string; key: string; event: string; agents: string; payload: string; created_at: number;
  status: DeliveryStatus; attempts: number; next_attempt_at: number; last_error: string | null; delivered_at: number | null;
}
interface SilenceRow { id: number; pattern: string; reason: string | null; created_at: number; until: number; hold_restarts: number }

const toDelivery = (r: OutboxRow): Delivery => ({
  id: r.id, channel: r.channel, key: r.key, event: r.event, agents: JSON.parse(r.agents) as string[], payload: JSON.parse(r.payload),
  createdAt: r.created_at, status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, deliveredAt: r.delivered_at,
});
const toSilence = (r: SilenceRow): Silence => ({ id: r.id, pattern: r.pattern, reason: r.reason, createdAt: r.created_at, until: r.until, holdRestarts: r.hold_restarts === 1 });

export class SqliteNotifyStore implements NotifyStore {
  constructor(private readonly core: NotifyStoreCore) {}

  async readCheckpoint(): Promise<NotifierCheckpoint> {
    const row = this.core.db.prepare(`SELECT value FROM system_state WHERE key = ?`).get(CHECKPOINT_KEY) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as NotifierCheckpoint) : { cursor: 0, state: null, tickAt: null };
  }

  /** The fence is not checked: one monitor per SQLite file (the instance lock) already. */
  async commitPlan(entries: readonly OutboxEntry[], checkpoint: NotifierCheckpoint): Promise<boolean> {
    const { db } = this.core;
    await this.core.write(() => {
      const now = this.core.clock.now();
      const insert = db.prepare(`INSERT OR IGNORE INTO notify_outbox(channel, key, event, agents, payload, created_at, next_attempt_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const e of entries) insert.run(e.channel, e.key, e.event, JSON.stringify(e.agents), JSON.stringify(e.payload), now, now);
      db.prepare(`INSERT INTO system_state(key, value, updated_at) VALUES (?, ?, ?)
        ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(CHECKPOINT_KEY, JSON.stringify(checkpoint), now);
    });
    return true;
  }

  async pending(channel: string, limit = 100): Promise<Delivery[]> {
    const rows = this.core.db.prepare(`SELECT * FROM notify_outbox WHERE channel = ? AND status = 'pending' ORDER BY id LIMIT ?`).all(channel, limit) as OutboxRow[];
    return rows.map(toDelivery);
  }

  async markDelivered(id: number): Promise<void> {
    await this.core.write(() => {
      this.core.db.prepare(`UPDATE notify_outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?`).run(this.core.clock.now(), id);
    });
  }

  async markFailed(id: number, error: string, nextAttemptAt: number, dead: boolean): Promise<void> {
    await this.core.write(() => {
      this.core.db.prepare(`UPDATE notify_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, status = ? WHERE id = ?`)
        .run(error.slice(0, 1000), nextAttemptAt, dead ? "dead" : "pending", id);
    });
  }

  async deliveries(q: { agent?: string; channel?: string; limit?: number } = {}): Promise<Delivery[]> {
    const rows = this.core.db.prepare(`SELECT * FROM notify_outbox
      WHERE (@channel IS NULL OR channel = @channel)
        AND (@agent IS NULL OR EXISTS (SELECT 1 FROM json_each(agents) WHERE value = @agent))
      ORDER BY id DESC LIMIT @limit`).all({ channel: q.channel ?? null, agent: q.agent ?? null, limit: Math.max(1, Math.floor(q.limit ?? 100)) }) as OutboxRow[];
    return rows.map(toDelivery);
  }

  async backlog(): Promise<Record<string, number>> {
    const rows = this.core.db.prepare(`SELECT channel, count(*) AS n FROM notify_outbox WHERE status = 'pending' GROUP BY channel`).all() as { channel: string; n: number }[];
    return Object.fromEntries(rows.map((r) => [r.channel, r.n]));
  }

  async deliveryCounts(): Promise<DeliveryCounts[]> {
    return this.core.db.prepare(`SELECT channel,
        sum(status = 'delivered') AS delivered, sum(status = 'dead') AS dropped,
        sum(attempts) - sum(status = 'delivered') AS failedAttempts
      FROM notify_outbox GROUP BY channel ORDER BY channel`).all() as DeliveryCounts[];
  }

  async addSilence(s: NewSilence): Promise<Silence> {
    return this.core.write(() => {
      const now = this.core.clock.now();
      const r = this.core.db.prepare(`INSERT INTO silences(pattern, reason, created_at, until, hold_restarts) VALUES (?, ?, ?, ?, ?) RETURNING *`)
        .get(s.pattern, s.reason ?? null, now, now + s.untilMs, s.holdRestarts ? 1 : 0) as SilenceRow;
      return toSilence(r);
    });
  }

  async removeSilences(match: { id?: number; pattern?: string }): Promise<number> {
    return this.core.write(() => {
      const now = this.core.clock.now();
      return this.core.db.prepare(`UPDATE silences SET until = @now WHERE until > @now AND (id = @id OR pattern = @pattern)`)
        .run({ now, id: match.id ?? null, pattern: match.pattern ?? null }).changes;
    });
  }

  async activeSilences(): Promise<Silence[]> {
    const rows = this.core.db.prepare(`SELECT * FROM silences WHERE until > ? ORDER BY until`).all(this.core.clock.now()) as SilenceRow[];
    return rows.map(toSilence);
  }

  async silencesOverlapping(since: number, until: number): Promise<Silence[]> {
    const rows = this.core.db.prepare(`SELECT * FROM silences WHERE created_at < ? AND until > ? ORDER BY created_at, id`).all(until, since) as SilenceRow[];
    return rows.map(toSilence);
  }
}

/** PostgreSQL NotifyStore: outbox rows and the notifier's checkpoint (a system_state key) move in one transaction. */
import type { Delivery, DeliveryCounts, DeliveryStatus, NewSilence, NotifierCheckpoint, NotifyStore, OutboxEntry, Silence } from "../notify-types.js";
import type pg from "pg";
import type { LeaseFence } from "../lease-types.js";
import type { PgCore } from "./core.js";
import { underFence } from "./leases.js";
import { pgText } from "./rows.js";

const CHECKPOINT_KEY = "notifier";

interface OutboxRow {
  id: number; channel: string; key: string; event: string; agents: string[]; payload: unknown; created_at: number;
  status: DeliveryStatus; attempts: number; next_attempt_at: number; last_error: string | null; delivered_at: number | null;
}
interface SilenceRow { id: number; pattern: string; reason: string | null; created_at: number; until: number; hold_restarts: boolean }

const toDelivery = (r: OutboxRow): Delivery => ({
  id: r.id, channel: r.channel, key: r.key, event: r.event, agents: r.agents, payload: r.payload,
  createdAt: r.created_at, status: r.status, attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, deliveredAt: r.delivered_at,
});
const toSilence = (r: SilenceRow): Silence => ({ id: r.id, pattern: r.pattern, reason: r.reason, createdAt: r.created_at, until: r.until, holdRestarts: r.hold_restarts });

export class PgNotifyStore implements NotifyStore {
  constructor(private readonly core: PgCore) {}

  private get s() {
    return this.core.s;
  }

  async readCheckpoint(): Promise<NotifierCheckpoint> {
    const r = await this.core.query<{ value: NotifierCheckpoint }>({ text: `SELECT value FROM ${this.s}.system_state WHERE key = $1`, values: [CHECKPOINT_KEY] });
    return r.rows[0]?.value ?? { cursor: 0, state: null, tickAt: null };
  }

  async commitPlan(entries: readonly OutboxEntry[], checkpoint: NotifierCheckpoint, fence?: LeaseFence): Promise<boolean> {
    const write = async (c: pg.PoolClient) => {
      const now = Number((await c.query<{ now: number }>(`SELECT ${this.core.now(1)} AS now`, [this.core.nowParam()])).rows[0]!.now);
      for (const e of entries) {
        await c.query(`INSERT INTO ${this.s}.notify_outbox(channel, key, event, agents, payload, created_at, next_attempt_at)
          VALUES ($1, $2, $3, $4::json, $5::json, $6, $6) ON CONFLICT (channel, key) DO NOTHING`,
        [e.channel, e.key, e.event, JSON.stringify(e.agents), JSON.stringify(e.payload ?? null), now]);
      }
      await c.query(`INSERT INTO ${this.s}.system_state(key, value, updated_at) VALUES ($1, $2::json, $3)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`, [CHECKPOINT_KEY, JSON.stringify(checkpoint), now]);
      return true;
    };
    return fence ? (await underFence(this.core, fence, fence.ttlMs, write)) ?? false : this.core.tx(write);
  }

  async pending(channel: string, limit = 100): Promise<Delivery[]> {
    const r = await this.core.query<OutboxRow>({ text: `SELECT * FROM ${this.s}.notify_outbox WHERE channel = $1 AND status = 'pending' ORDER BY id LIMIT $2`, values: [channel, limit] });
    return r.rows.map(toDelivery);
  }

  async markDelivered(id: number): Promise<void> {
    await this.core.query({
      text: `UPDATE ${this.s}.notify_outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ${this.core.now(2)}, last_error = NULL WHERE id = $1`,
      values: [id, this.core.nowParam()] });
  }

  async markFailed(id: number, error: string, nextAttemptAt: number, dead: boolean): Promise<void> {
    await this.core.query({
      text: `UPDATE ${this.s}.notify_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3, status = $4 WHERE id = $1`,
      values: [id, pgText(error.slice(0, 1000)), Math.trunc(nextAttemptAt), dead ? "dead" : "pending"] });
  }

  async deliveries(q: { agent?: string; channel?: string; limit?: number } = {}): Promise<Delivery[]> {
    const r = await this.core.query<OutboxRow>({
      text: `SELECT * FROM ${this.s}.notify_outbox
        WHERE ($1::text IS NULL OR channel = $1)
          AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM json_array_elements_text(agents) a WHERE a = $2))
        ORDER BY id DESC LIMIT $3`,
      values: [q.channel ?? null, q.agent ?? null, Math.max(1, Math.floor(q.limit ?? 100))] });
    return r.rows.map(toDelivery);
  }

  async backlog(): Promise<Record<string, number>> {
    const r = await this.core.query<{ channel: string; n: number }>({ text: `SELECT channel, count(*) AS n FROM ${this.s}.notify_outbox WHERE status = 'pending' GROUP BY channel` });
    return Object.fromEntries(r.rows.map((x) => [x.channel, x.n]));
  }

  async deliveryCounts(): Promise<DeliveryCounts[]> {
    const r = await this.core.query<DeliveryCounts>({
      text: `SELECT channel, count(*) FILTER (WHERE status = 'delivered')::int AS delivered, count(*) FILTER (WHERE status = 'dead')::int AS dropped,
          (sum(attempts) - count(*) FILTER (WHERE status = 'delivered'))::int AS "failedAttempts"
        FROM ${this.s}.notify_outbox GROUP BY channel ORDER BY channel COLLATE "C"` });
    return r.rows;
  }

  async addSilence(n: NewSilence): Promise<Silence> {
    const r = await this.core.query<SilenceRow>({
      text: `INSERT INTO ${this.s}.silences(pattern, reason, created_at, until, hold_restarts)
        SELECT $1, $3, t, t + $4::bigint, $5 FROM (SELECT ${this.core.now(2)} AS t) x RETURNING *`,
      values: [n.pattern, this.core.nowParam(), pgText(n.reason ?? null), Math.trunc(n.untilMs), n.holdRestarts ?? false] });
    return toSilence(r.rows[0]!);
  }

  async removeSilences(match: { id?: number; pattern?: string }): Promise<number> {
    const r = await this.core.query({
      text: `WITH t AS (SELECT ${this.core.now(3)} AS now)
        UPDATE ${this.s}.silences SET until = t.now FROM t WHERE until > t.now AND (id = $1 OR pattern = $2)`,
      values: [match.id ?? null, match.pattern ?? null, this.core.nowParam()] });
    return r.rowCount ?? 0;
  }

  async activeSilences(): Promise<Silence[]> {
    const r = await this.core.query<SilenceRow>({ text: `SELECT * FROM ${this.s}.silences WHERE until > ${this.core.now(1)} ORDER BY until, id`, values: [this.core.nowParam()] });
    return r.rows.map(toSilence);
  }

  async silencesOverlapping(since: number, until: number): Promise<Silence[]> {
    const r = await this.core.query<SilenceRow>({
      text: `SELECT * FROM ${this.s}.silences WHERE created_at < $1 AND until > $2 ORDER BY created_at, id`,
      values: [Math.trunc(until), Math.trunc(since)] });
    return r.rows.map(toSilence);
  }
}

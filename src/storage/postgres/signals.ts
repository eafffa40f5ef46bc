/** PostgreSQL SignalStore: one row per agent (detector state, open anomalies) and the anomaly feed, written together under the leader's fence. */
import type pg from "pg";
import type { LeaseFence } from "../lease-types.js";
import type { AgentSignalsRecord, AnomalyEvent, AnomalyEventKind, NewAnomalyEvent, SignalStore } from "../signals-types.js";
import type { PgCore } from "./core.js";
import { underFence } from "./leases.js";

interface SignalsRow { agent: string; sampled_at: string | number; state: Record<string, unknown>; open: AgentSignalsRecord["open"] }
interface EventRow { id: string | number; at: string | number; agent: string; signal: string; kind: AnomalyEventKind; value: number; baseline: number; text: string }

const toRecord = (r: SignalsRow): AgentSignalsRecord => ({ agent: r.agent, sampledAt: Number(r.sampled_at), state: r.state, open: r.open });
const toEvent = (r: EventRow): AnomalyEvent =>
  ({ id: Number(r.id), at: Number(r.at), agent: r.agent, signal: r.signal, kind: r.kind, value: r.value, baseline: r.baseline, text: r.text });

export class PgSignalStore implements SignalStore {
  constructor(private readonly core: PgCore) {}

  private get s() {
    return this.core.s;
  }

  async read(agents: readonly string[]): Promise<AgentSignalsRecord[]> {
    if (agents.length === 0) return [];
    const r = await this.core.query<SignalsRow>({ text: `SELECT agent, sampled_at, state, open FROM ${this.s}.agent_signals WHERE agent = ANY($1::text[])`, values: [agents] });
    return r.rows.map(toRecord);
  }

  async withOpenAnomalies(): Promise<AgentSignalsRecord[]> {
    const r = await this.core.query<SignalsRow>({ text: `SELECT agent, sampled_at, state, open FROM ${this.s}.agent_signals WHERE open_count > 0 ORDER BY agent` });
    return r.rows.map(toRecord);
  }

  async save(records: readonly AgentSignalsRecord[], events: readonly NewAnomalyEvent[], fence?: LeaseFence): Promise<boolean> {
    const write = async (c: pg.PoolClient) => {
      if (records.length) {
        await c.query(`INSERT INTO ${this.s}.agent_signals(agent, sampled_at, state, open, open_count)
          SELECT * FROM unnest($1::text[], $2::bigint[], $3::json[], $4::json[], $5::int[])
          ON CONFLICT (agent) DO UPDATE SET sampled_at = excluded.sampled_at, state = excluded.state, open = excluded.open, open_count = excluded.open_count`,
        [records.map((r) => r.agent), records.map((r) => r.sampledAt), records.map((r) => JSON.stringify(r.state)),
          records.map((r) => JSON.stringify(r.open)), records.map((r) => Object.keys(r.open).length)]);
      }
      for (const e of events) {
        await c.query(`INSERT INTO ${this.s}.anomaly_events(at, agent, signal, kind, value, baseline, text) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [e.at, e.agent, e.signal, e.kind, e.value, e.baseline, e.text]);
      }
      return true;
    };
    return fence ? (await underFence(this.core, fence, fence.ttlMs, write)) ?? false : this.core.tx(write);
  }

  async events(q: { afterId?: number; agent?: string; limit?: number } = {}): Promise<AnomalyEvent[]> {
    const r = await this.core.query<EventRow>({
      text: `SELECT id, at, agent, signal, kind, value, baseline, text FROM ${this.s}.anomaly_events
        WHERE id > $1 AND ($2::text IS NULL OR agent = $2) ORDER BY id LIMIT $3`,
      values: [q.afterId ?? 0, q.agent ?? null, Math.max(1, Math.floor(q.limit ?? 500))] });
    return r.rows.map(toEvent);
  }

  async prune(before: number): Promise<number> {
    const r = await this.core.query({ text: `DELETE FROM ${this.s}.anomaly_events WHERE at < $1`, values: [before] });
    return r.rowCount ?? 0;
  }
}

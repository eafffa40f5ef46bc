/** SQLite SignalStore: one row per agent (detector state, open anomalies) and the anomaly feed, written together. */
import type { AgentSignalsRecord, AnomalyEvent, AnomalyEventKind, NewAnomalyEvent, SignalStore } from "../signals-types.js";
import type { StoreCore } from "./fleet.js";

interface SignalsRow { agent: string; sampled_at: number; state: string; open: string }
interface EventRow { id: number; at: number; agent: string; signal: string; kind: AnomalyEventKind; value: number; baseline: number; text: string }

const toRecord = (r: SignalsRow): AgentSignalsRecord =>
  ({ agent: r.agent, sampledAt: r.sampled_at, state: JSON.parse(r.state) as Record<string, unknown>, open: JSON.parse(r.open) as AgentSignalsRecord["open"] });

/** SQLite's limit on bound parameters is far above this; chunks keep statements small. */
const CHUNK = 500;

export class SqliteSignalStore implements SignalStore {
  constructor(private readonly core: StoreCore) {}

  async read(agents: readonly string[]): Promise<AgentSignalsRecord[]> {
    const out: AgentSignalsRecord[] = [];
    for (let i = 0; i < agents.length; i += CHUNK) {
      const part = agents.slice(i, i + CHUNK);
      const rows = this.core.db.prepare(`SELECT agent, sampled_at, state, open FROM agent_signals WHERE agent IN (${part.map(() => "?").join(",")})`).all(...part) as SignalsRow[];
      out.push(...rows.map(toRecord));
    }
    return out;
  }

  async withOpenAnomalies(): Promise<AgentSignalsRecord[]> {
    const rows = this.core.db.prepare(`SELECT agent, sampled_at, state, open FROM agent_signals WHERE open_count > 0 ORDER BY agent`).all() as SignalsRow[];
    return rows.map(toRecord);
  }

  /** The fence is not checked: one monitor per SQLite file (the instance lock) already. */
  async save(records: readonly AgentSignalsRecord[], events: readonly NewAnomalyEvent[]): Promise<boolean> {
    const { db } = this.core;
    await this.core.write(() => {
      const upsert = db.prepare(`INSERT INTO agent_signals(agent, sampled_at, state, open, open_count) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT(agent) DO UPDATE SET sampled_at = excluded.sampled_at, state = excluded.state, open = excluded.open, open_count = excluded.open_count`);
      for (const r of records) upsert.run(r.agent, r.sampledAt, JSON.stringify(r.state), JSON.stringify(r.open), Object.keys(r.open).length);
      const insert = db.prepare(`INSERT INTO anomaly_events(at, agent, signal, kind, value, baseline, text) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const e of events) insert.run(e.at, e.agent, e.signal, e.kind, e.value, e.baseline, e.text);
    });
    return true;
  }

  async events(q: { afterId?: number; agent?: string; limit?: number } = {}): Promise<AnomalyEvent[]> {
    return this.core.db.prepare(`SELECT id, at, agent, signal, kind, value, baseline, text FROM anomaly_events
      WHERE id > ? AND (? IS NULL OR agent = ?) ORDER BY id LIMIT ?`)
      .all(q.afterId ?? 0, q.agent ?? null, q.agent ?? null, Math.max(1, Math.floor(q.limit ?? 500))) as EventRow[];
  }

  async prune(before: number): Promise<number> {
    return this.core.write(() => this.core.db.prepare(`DELETE FROM anomaly_events WHERE at < ?`).run(before).changes);
  }
}

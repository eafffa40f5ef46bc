/**
 * SQLite PerfStore: raw samples for a day, then hourly roll-ups (count/min/max/sum) kept for
 * `rollupRetentionMs`; prune() moves rows across in one transaction, so the file stays bounded.
 */
import { FLEET_DETAIL_LIMIT, nearestRank, type FleetReading, type FleetTotals, type PerfPoint, type PerfQuery, type PerfRollup, type PerfSample, type PerfStore } from "../perf-types.js";
import type { StoreCore } from "./fleet.js";
import { IS_LIVE, LIVE_SQL as LIVE } from "./state-sql.js";

export interface PerfStoreOptions {
  /** @defaultValue 24 h */
  rawRetentionMs?: number;
  /** @defaultValue 30 days */
  rollupRetentionMs?: number;
}

const HOUR = 3_600_000;

export class SqlitePerfStore implements PerfStore {
  readonly rawRetentionMs: number;
  readonly rollupRetentionMs: number;

  constructor(private readonly core: StoreCore, opts: PerfStoreOptions = {}) {
    this.rawRetentionMs = opts.rawRetentionMs ?? 24 * HOUR;
    this.rollupRetentionMs = opts.rollupRetentionMs ?? 30 * 24 * HOUR;
  }

  async record(at: number, samples: PerfSample[]): Promise<void> {
    if (samples.length === 0) return;
    const insert = this.core.db.prepare(`INSERT INTO perf_samples(at, metric, agent, value) VALUES (?, ?, ?, ?)`);
    await this.core.write(() => {
      for (const s of samples) if (Number.isFinite(s.value)) insert.run(at, s.metric, s.agent ?? "", s.value);
    });
  }

  async recent(q: PerfQuery): Promise<PerfPoint[]> {
    const rows = this.core.db.prepare(`
      SELECT at, metric, agent, value FROM perf_samples
      WHERE metric = @metric AND (@agent IS NULL OR agent = @agent) AND at >= @since
      ORDER BY at DESC, id DESC LIMIT @limit`).all(params(q)) as PerfPoint[];
    return rows.reverse();
  }

  async latest(): Promise<{ at: number; samples: PerfPoint[] } | undefined> {
    const top = this.core.db.prepare(`SELECT max(at) AS at FROM perf_samples`).get() as { at: number | null };
    if (top.at === null) return undefined;
    const samples = this.core.db.prepare(`SELECT at, metric, agent, value FROM perf_samples WHERE at = ? ORDER BY metric, agent`).all(top.at) as PerfPoint[];
    return { at: top.at, samples };
  }

  async rollups(q: PerfQuery): Promise<PerfRollup[]> {
    const rows = this.core.db.prepare(`
      SELECT bucket_start AS bucketStart, metric, agent, n, min, max, sum / n AS avg FROM perf_rollups
      WHERE metric = @metric AND (@agent IS NULL OR agent = @agent) AND bucket_start >= @since
      ORDER BY bucket_start DESC LIMIT @limit`).all(params(q)) as PerfRollup[];
    return rows.reverse();
  }

  async prune(now: number): Promise<{ rolledUp: number; deletedRollups: number }> {
    // Roll up whole hours only, so a bucket is never split across two prunes' worth of raw rows
    // (a bucket that was partly rolled up before is merged by the ON CONFLICT clause).
    const cutoff = Math.floor((now - this.rawRetentionMs) / HOUR) * HOUR;
    const { db } = this.core;
    return this.core.write(() => {
      db.prepare(`
        INSERT INTO perf_rollups(bucket_start, metric, agent, n, min, max, sum)
        SELECT (at / ${HOUR}) * ${HOUR}, metric, agent, count(*), min(value), max(value), sum(value)
        FROM perf_samples WHERE at < @cutoff GROUP BY 1, metric, agent
        ON CONFLICT(metric, agent, bucket_start) DO UPDATE SET
          n = n + excluded.n, min = min(min, excluded.min), max = max(max, excluded.max), sum = sum + excluded.sum`).run({ cutoff });
      const rolledUp = db.prepare(`DELETE FROM perf_samples WHERE at < @cutoff`).run({ cutoff }).changes;
      const deletedRollups = db.prepare(`DELETE FROM perf_rollups WHERE bucket_start < ?`).run(now - this.rollupRetentionMs).changes;
      return { rolledUp, deletedRollups };
    });
  }

  async counts(): Promise<{ samples: number; rollups: number }> {
    const n = (t: string) => (this.core.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
    return { samples: n("perf_samples"), rollups: n("perf_rollups") };
  }

  /**
   * One consistent read (a deferred transaction: one snapshot). Totals come from aggregates over
   * the partial index of live agents by heartbeat (count, the two percentile ranks by OFFSET, the
   * oldest), so they cover every agent; only the per-agent detail is capped (see FleetReading).
   * About 9 ms at 10k agents on 2 cores (test/agents/perf-fleet.test.ts measures it).
   */
  async readFleet(now: number, since: number, limit = FLEET_DETAIL_LIMIT): Promise<FleetReading> {
    const { db } = this.core;
    const cap = Math.max(0, Math.floor(limit));
    const outliers = Math.floor(cap / 10);
    const read = db.transaction((): FleetReading => {
      const live = (db.prepare(`SELECT count(*) AS n, min(last_heartbeat) AS oldest FROM agents ${BY_AGE} WHERE ${IS_LIVE}`)
        .get() as { n: number; oldest: number | null });
      const ageAtRank = (p: number) => {
        if (live.n === 0) return 0;
        const r = db.prepare(`SELECT last_heartbeat AS hb FROM agents ${BY_AGE} WHERE ${IS_LIVE} ORDER BY last_heartbeat DESC LIMIT 1 OFFSET ?`)
          .get(nearestRank(live.n, p)) as { hb: number } | undefined;
        return r ? Math.max(0, now - r.hb) : 0;
      };
      const stale = (db.prepare(`SELECT count(*) AS n FROM agents WHERE state = 'stale'`).get() as { n: number }).n;
      const errorsByAgent: Record<string, number> = {};
      let errors = 0;
      for (const r of db.prepare(`SELECT agent, count(*) AS n FROM agent_errors WHERE at >= ? GROUP BY agent`).all(since) as { agent: string; n: number }[]) {
        errorsByAgent[r.agent] = r.n;
        errors += r.n;
      }
      const totals: FleetTotals = {
        live: live.n, stale, errors,
        heartbeatAgeP50Ms: ageAtRank(50), heartbeatAgeP95Ms: ageAtRank(95),
        heartbeatAgeMaxMs: live.oldest === null ? 0 : Math.max(0, now - live.oldest),
      };

      const picked = new Map<string, AgentDetailRow>();
      const take = (rows: AgentDetailRow[]) => {
        for (const r of rows) if (picked.size < cap && !picked.has(r.name)) picked.set(r.name, r);
      };
      if (outliers > 0) {
        take(db.prepare(`SELECT ${DETAIL} FROM agents WHERE state IN ${LIVE} AND cpu_percent IS NOT NULL ORDER BY cpu_percent DESC LIMIT ?`).all(outliers) as AgentDetailRow[]);
        take(db.prepare(`SELECT ${DETAIL} FROM agents WHERE state IN ${LIVE} AND rss_bytes IS NOT NULL ORDER BY rss_bytes DESC LIMIT ?`).all(outliers) as AgentDetailRow[]);
        const erring = Object.entries(errorsByAgent).sort((a, b) => b[1] - a[1]).slice(0, outliers).map(([name]) => name);
        if (erring.length > 0) {
          const rows = db.prepare(`SELECT ${DETAIL} FROM agents WHERE state IN ${LIVE} AND name IN (SELECT value FROM json_each(?))`).all(JSON.stringify(erring)) as AgentDetailRow[];
          take(erring.map((n) => rows.find((r) => r.name === n)).filter((r): r is AgentDetailRow => r !== undefined));
        }
      }
      // the rest: the freshest figures. Read enough to fill the cap after the outliers already taken.
      if (picked.size < cap) {
        take(db.prepare(`SELECT ${DETAIL} FROM agents ${BY_AGE} WHERE ${IS_LIVE} ORDER BY last_heartbeat DESC LIMIT ?`).all(cap) as AgentDetailRow[]);
      }
      const agents = [...picked.values()].map((r) => ({
        name: r.name, state: r.state, ageMs: Math.max(0, now - r.last_heartbeat), cpuPercent: r.cpu_percent,
        rssBytes: r.rss_bytes, heartbeatLatencyMs: r.hb_latency_ms, eventLoopLagMs: r.loop_lag_ms,
        heartbeatGapMs: r.hb_count > 0 ? r.hb_mean_ms : null,
      }));

      const activations = db.prepare(`
        SELECT a.agent AS agent, a.at - (SELECT max(b.at) FROM agent_transitions b
          WHERE b.agent = a.agent AND b.to_state = 'initializing' AND b.id < a.id) AS ms
        FROM agent_transitions a
        WHERE a.from_state = 'initializing' AND a.to_state = 'active' AND a.at >= ?
        ORDER BY a.at DESC LIMIT ?`).all(since, cap) as { agent: string; ms: number | null }[];
      return { totals, agents, errorsByAgent, activations: activations.filter((a): a is { agent: string; ms: number } => a.ms !== null).reverse() };
    });
    return read.deferred();
  }
}

/** The partial index of live agents by heartbeat age (see statements.ts: without stats SQLite may pick agents_state). */
const BY_AGE = "INDEXED BY agents_live_heartbeat";
const DETAIL = "name, state, last_heartbeat, cpu_percent, rss_bytes, hb_latency_ms, loop_lag_ms, hb_count, hb_mean_ms";

interface AgentDetailRow {
  name: string;
  state: string;
  last_heartbeat: number;
  cpu_percent: number | null;
  rss_bytes: number | null;
  hb_latency_ms: number | null;
  loop_lag_ms: number | null;
  hb_count: number;
  hb_mean_ms: number;
}

function params(q: PerfQuery) {
  return { metric: q.metric, agent: q.agent ?? null, since: q.since ?? 0, limit: Math.max(1, Math.floor(q.limit ?? 500)) };
}

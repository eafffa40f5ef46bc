/**
 * PostgreSQL PerfStore: raw samples for a day, then hourly roll-ups (count/min/max/sum) kept for
 * `rollupRetentionMs`; prune() moves rows across in one transaction. `at`/`now` are given by the
 * caller (the monitor's sample time), as on SQLite.
 */
import { FLEET_DETAIL_LIMIT, nearestRank, type FleetReading, type FleetTotals, type PerfPoint, type PerfQuery, type PerfRollup, type PerfSample, type PerfStore } from "../perf-types.js";
import type { PgCore } from "./core.js";
import { LIVE } from "./statements.js";

export interface PerfStoreOptions {
  /** @defaultValue 24 h */
  rawRetentionMs?: number;
  /** @defaultValue 30 days */
  rollupRetentionMs?: number;
}

const HOUR = 3_600_000;
const DETAIL = "name, state, last_heartbeat, cpu_percent, rss_bytes, hb_latency_ms, loop_lag_ms, hb_count, hb_mean_ms";

interface AgentDetailRow {
  name: string; state: string; last_heartbeat: number; cpu_percent: number | null; rss_bytes: number | null;
  hb_latency_ms: number | null; loop_lag_ms: number | null; hb_count: number; hb_mean_ms: number;
}

const params = (q: PerfQuery) => [q.metric, q.agent ?? null, q.since ?? 0, Math.max(1, Math.floor(q.limit ?? 500))];

export class PgPerfStore implements PerfStore {
  readonly rawRetentionMs: number;
  readonly rollupRetentionMs: number;

  constructor(private readonly core: PgCore, opts: PerfStoreOptions = {}) {
    this.rawRetentionMs = opts.rawRetentionMs ?? 24 * HOUR;
    this.rollupRetentionMs = opts.rollupRetentionMs ?? 30 * 24 * HOUR;
  }

  async record(at: number, samples: PerfSample[]): Promise<void> {
    const kept = samples.filter((s) => Number.isFinite(s.value));
    if (kept.length === 0) return;
    await this.core.query({
      text: `INSERT INTO ${this.core.s}.perf_samples(at, metric, agent, value)
        SELECT $1, m, a, v FROM unnest($2::text[], $3::text[], $4::float8[]) AS u(m, a, v)`,
      values: [Math.trunc(at), kept.map((s) => s.metric), kept.map((s) => s.agent ?? ""), kept.map((s) => s.value)],
    });
  }

  async recent(q: PerfQuery): Promise<PerfPoint[]> {
    const r = await this.core.query<PerfPoint>({
      text: `SELECT at, metric, agent, value FROM ${this.core.s}.perf_samples
        WHERE metric = $1 AND ($2::text IS NULL OR agent = $2) AND at >= $3 ORDER BY at DESC, id DESC LIMIT $4`,
      values: params(q),
    });
    return r.rows.reverse();
  }

  async latest(): Promise<{ at: number; samples: PerfPoint[] } | undefined> {
    const top = (await this.core.query<{ at: number | null }>({ text: `SELECT max(at) AS at FROM ${this.core.s}.perf_samples` })).rows[0]!;
    if (top.at === null) return undefined;
    const r = await this.core.query<PerfPoint>({
      text: `SELECT at, metric, agent, value FROM ${this.core.s}.perf_samples WHERE at = $1 ORDER BY metric COLLATE "C", agent COLLATE "C"`, values: [top.at] });
    return { at: top.at, samples: r.rows };
  }

  async rollups(q: PerfQuery): Promise<PerfRollup[]> {
    const r = await this.core.query<PerfRollup>({
      text: `SELECT bucket_start AS "bucketStart", metric, agent, n, min, max, sum / n AS avg FROM ${this.core.s}.perf_rollups
        WHERE metric = $1 AND ($2::text IS NULL OR agent = $2) AND bucket_start >= $3 ORDER BY bucket_start DESC LIMIT $4`,
      values: params(q),
    });
    return r.rows.reverse();
  }

  async prune(now: number): Promise<{ rolledUp: number; deletedRollups: number }> {
    // whole hours only; a bucket partly rolled up before is merged by ON CONFLICT
    const cutoff = Math.floor((now - this.rawRetentionMs) / HOUR) * HOUR;
    const s = this.core.s;
    return this.core.tx(async (c) => {
      await c.query(`
        INSERT INTO ${s}.perf_rollups(bucket_start, metric, agent, n, min, max, sum)
        SELECT (at / ${HOUR}) * ${HOUR}, metric, agent, count(*), min(value), max(value), sum(value)
        FROM ${s}.perf_samples WHERE at < $1 GROUP BY 1, metric, agent
        ON CONFLICT (metric, agent, bucket_start) DO UPDATE SET
          n = perf_rollups.n + excluded.n, min = least(perf_rollups.min, excluded.min),
          max = greatest(perf_rollups.max, excluded.max), sum = perf_rollups.sum + excluded.sum`, [cutoff]);
      const rolledUp = (await c.query(`DELETE FROM ${s}.perf_samples WHERE at < $1`, [cutoff])).rowCount ?? 0;
      const deletedRollups = (await c.query(`DELETE FROM ${s}.perf_rollups WHERE bucket_start < $1`, [Math.trunc(now - this.rollupRetentionMs)])).rowCount ?? 0;
      return { rolledUp, deletedRollups };
    });
  }

  async counts(): Promise<{ samples: number; rollups: number }> {
    const r = await this.core.query<{ samples: number; rollups: number }>({
      text: `SELECT (SELECT count(*) FROM ${this.core.s}.perf_samples) AS samples, (SELECT count(*) FROM ${this.core.s}.perf_rollups) AS rollups` });
    return r.rows[0]!;
  }

  /** One snapshot (REPEATABLE READ): totals over every agent, detail of at most `limit` live agents (see FleetReading). */
  async readFleet(now: number, since: number, limit = FLEET_DETAIL_LIMIT): Promise<FleetReading> {
    const s = this.core.s;
    const cap = Math.max(0, Math.floor(limit));
    const outliers = Math.floor(cap / 10);
    return this.core.tx(async (c) => {
      const live = (await c.query<{ n: number; oldest: number | null }>(`SELECT count(*) AS n, min(last_heartbeat) AS oldest FROM ${s}.agents WHERE state IN ${LIVE}`)).rows[0]!;
      const ageAtRank = async (p: number) => {
        if (live.n === 0) return 0;
        const r = (await c.query<{ hb: number }>(`SELECT last_heartbeat AS hb FROM ${s}.agents WHERE state IN ${LIVE} ORDER BY last_heartbeat DESC LIMIT 1 OFFSET $1`,
          [nearestRank(live.n, p)])).rows[0];
        return r ? Math.max(0, now - r.hb) : 0;
      };
      const stale = (await c.query<{ n: number }>(`SELECT count(*) AS n FROM ${s}.agents WHERE state = 'stale'`)).rows[0]!.n;
      const errorsByAgent: Record<string, number> = {};
      let errors = 0;
      for (const r of (await c.query<{ agent: string; n: number }>(`SELECT agent, count(*) AS n FROM ${s}.agent_errors WHERE at >= $1 GROUP BY agent`, [Math.trunc(since)])).rows) {
        errorsByAgent[r.agent] = r.n;
        errors += r.n;
      }
      const totals: FleetTotals = {
        live: live.n, stale, errors,
        heartbeatAgeP50Ms: await ageAtRank(50), heartbeatAgeP95Ms: await ageAtRank(95),
        heartbeatAgeMaxMs: live.oldest === null ? 0 : Math.max(0, now - live.oldest),
      };

      const picked = new Map<string, AgentDetailRow>();
      const take = (rows: AgentDetailRow[]) => {
        for (const r of rows) if (picked.size < cap && !picked.has(r.name)) picked.set(r.name, r);
      };
      if (outliers > 0) {
        take((await c.query<AgentDetailRow>(`SELECT ${DETAIL} FROM ${s}.agents WHERE state IN ${LIVE} AND cpu_percent IS NOT NULL ORDER BY cpu_percent DESC LIMIT $1`, [outliers])).rows);
        take((await c.query<AgentDetailRow>(`SELECT ${DETAIL} FROM ${s}.agents WHERE state IN ${LIVE} AND rss_bytes IS NOT NULL ORDER BY rss_bytes DESC LIMIT $1`, [outliers])).rows);
        const erring = Object.entries(errorsByAgent).sort((a, b) => b[1] - a[1]).slice(0, outliers).map(([name]) => name);
        if (erring.length > 0) {
          const rows = (await c.query<AgentDetailRow>(`SELECT ${DETAIL} FROM ${s}.agents WHERE state IN ${LIVE} AND name = ANY($1::text[])`, [erring])).rows;
          take(erring.map((n) => rows.find((r) => r.name === n)).filter((r): r is AgentDetailRow => r !== undefined));
        }
      }
      if (picked.size < cap) {
        take((await c.query<AgentDetailRow>(`SELECT ${DETAIL} FROM ${s}.agents WHERE state IN ${LIVE} ORDER BY last_heartbeat DESC LIMIT $1`, [cap])).rows);
      }
      const agents = [...picked.values()].map((r) => ({
        name: r.name, state: r.state, ageMs: Math.max(0, now - r.last_heartbeat), cpuPercent: r.cpu_percent,
        rssBytes: r.rss_bytes, heartbeatLatencyMs: r.hb_latency_ms, eventLoopLagMs: r.loop_lag_ms,
        heartbeatGapMs: r.hb_count > 0 ? r.hb_mean_ms : null,
      }));
      const activations = (await c.query<{ agent: string; ms: number | null }>(`
        SELECT a.agent AS agent, a.at - (SELECT max(b.at) FROM ${s}.agent_transitions b
          WHERE b.agent = a.agent AND b.to_state = 'initializing' AND b.id < a.id) AS ms
        FROM ${s}.agent_transitions a
        WHERE a.from_state = 'initializing' AND a.to_state = 'active' AND a.at >= $1
        ORDER BY a.at DESC LIMIT $2`, [Math.trunc(since), cap])).rows;
      return { totals, agents, errorsByAgent, activations: activations.filter((a): a is { agent: string; ms: number } => a.ms !== null).reverse() };
    }, "REPEATABLE READ READ ONLY");
  }
}

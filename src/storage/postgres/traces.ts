/**
 * PostgreSQL TraceStore: LangSmith run summaries upserted by run id (a run read twice is stored
 * once; a pending run that finished is updated), the cursor moved in the same transaction, and
 * per-agent error rate / latency recomputed over a window (nearest-rank p95, as on SQLite).
 */
import { ValidationError } from "../../errors/index.js";
import {
  RUN_STATUSES, type RunStatus, type RunSummary, type SaveRunsResult, type TraceAgentStats, type TraceRunQuery, type TraceStore,
} from "../traces-types.js";
import type { PgCore } from "./core.js";
import { pgText } from "./rows.js";

interface RunRow {
  run_id: string; trace_id: string | null; project: string; agent: string; name: string; status: RunStatus;
  started_at: number; ended_at: number | null; latency_ms: number | null; error: string | null; link: string | null;
}

interface StatsRow {
  agent: string; runs: number; errors: number; error_rate: number; avg_latency_ms: number | null; p95_latency_ms: number | null;
  last_run_at: number | null; window_ms: number; updated_at: number;
}

const toSummary = (r: RunRow): RunSummary => ({
  runId: r.run_id, traceId: r.trace_id, project: r.project, agent: r.agent, name: r.name, status: r.status,
  startedAt: r.started_at, endedAt: r.ended_at, latencyMs: r.latency_ms, error: r.error, link: r.link,
});

const toStats = (r: StatsRow): TraceAgentStats => ({
  agent: r.agent, runs: r.runs, errors: r.errors, errorRate: r.error_rate, avgLatencyMs: r.avg_latency_ms,
  p95LatencyMs: r.p95_latency_ms, lastRunAt: r.last_run_at, windowMs: r.window_ms, updatedAt: r.updated_at,
});

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export class PgTraceStore implements TraceStore {
  constructor(private readonly core: PgCore) {}

  async saveRuns(project: string, runs: RunSummary[], cursor?: number): Promise<SaveRunsResult> {
    for (const r of runs) {
      if (!r.runId || !(RUN_STATUSES as readonly string[]).includes(r.status) || !Number.isFinite(r.startedAt)) {
        throw new ValidationError(`Run summary ${JSON.stringify(r.runId)} is invalid: needs a run id, a status (${RUN_STATUSES.join(", ")}) and a start time`);
      }
    }
    const s = this.core.s;
    return this.core.tx(async (c) => {
      const now = Number((await c.query<{ now: number }>(`SELECT ${this.core.now(1)} AS now`, [this.core.nowParam()])).rows[0]!.now);
      let inserted = 0;
      let updated = 0;
      for (const r of runs) {
        const v = [r.runId, r.traceId, r.project || project, r.agent, r.name, r.status, Math.trunc(r.startedAt), r.endedAt === null ? null : Math.trunc(r.endedAt),
          r.latencyMs, pgText(r.error), r.link, now];
        const ins = await c.query(`INSERT INTO ${s}.trace_runs (run_id, trace_id, project, agent, name, status, started_at, ended_at, latency_ms, error, link, fetched_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (run_id) DO NOTHING`, v);
        if (ins.rowCount) {
          inserted++;
          continue;
        }
        // only a change counts as an update, so reading the same finished run again writes nothing
        const up = await c.query(`UPDATE ${s}.trace_runs SET status = $2, ended_at = $3, latency_ms = $4, error = $5, link = coalesce($6, link), fetched_at = $7
          WHERE run_id = $1 AND (status IS DISTINCT FROM $2 OR ended_at IS DISTINCT FROM $3 OR error IS DISTINCT FROM $5)`,
        [r.runId, r.status, v[7], r.latencyMs, v[9], r.link, now]);
        if (up.rowCount) updated++;
      }
      if (cursor !== undefined && Number.isFinite(cursor)) {
        await c.query(`INSERT INTO ${s}.trace_cursors (project, cursor, updated_at) VALUES ($1, $2, $3)
          ON CONFLICT (project) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`, [project, Math.floor(cursor), now]);
      }
      return { inserted, updated };
    });
  }

  async getCursor(project: string): Promise<number | undefined> {
    const r = await this.core.query<{ cursor: number }>({ text: `SELECT cursor FROM ${this.core.s}.trace_cursors WHERE project = $1`, values: [project] });
    return r.rows[0]?.cursor;
  }

  async queryRuns(q: TraceRunQuery = {}): Promise<RunSummary[]> {
    if (q.status !== undefined && !(RUN_STATUSES as readonly string[]).includes(q.status)) {
      throw new ValidationError(`Unknown run status "${q.status}"; expected one of ${RUN_STATUSES.join(", ")}`);
    }
    const limit = Math.max(1, Math.min(10_000, Math.floor(q.limit ?? 50)));
    const r = await this.core.query<RunRow>({
      text: `SELECT * FROM ${this.core.s}.trace_runs
        WHERE ($1::text IS NULL OR agent = $1) AND ($2::text IS NULL OR status = $2) AND started_at >= $3
        ORDER BY started_at DESC, run_id COLLATE "C" DESC LIMIT $4`,
      values: [q.agent ?? null, q.status ?? null, q.since ?? 0, limit],
    });
    return r.rows.map(toSummary);
  }

  async countRuns(agent?: string): Promise<number> {
    const r = await this.core.query<{ n: number }>({ text: `SELECT count(*) AS n FROM ${this.core.s}.trace_runs WHERE ($1::text IS NULL OR agent = $1)`, values: [agent ?? null] });
    return r.rows[0]!.n;
  }

  async refreshStats(windowMs: number): Promise<TraceAgentStats[]> {
    const s = this.core.s;
    return this.core.tx(async (c) => {
      const now = Number((await c.query<{ now: number }>(`SELECT ${this.core.now(1)} AS now`, [this.core.nowParam()])).rows[0]!.now);
      const rows = (await c.query<{ agent: string; status: RunStatus; latency_ms: number | null; started_at: number }>(
        `SELECT agent, status, latency_ms, started_at FROM ${s}.trace_runs WHERE started_at >= $1 AND status != 'pending' ORDER BY agent COLLATE "C"`,
        [now - windowMs])).rows;
      const byAgent = new Map<string, { errors: number; latencies: number[]; runs: number; last: number }>();
      for (const r of rows) {
        const a = byAgent.get(r.agent) ?? { errors: 0, latencies: [], runs: 0, last: 0 };
        a.runs++;
        if (r.status === "error") a.errors++;
        if (r.latency_ms !== null) a.latencies.push(r.latency_ms);
        a.last = Math.max(a.last, r.started_at);
        byAgent.set(r.agent, a);
      }
      await c.query(`DELETE FROM ${s}.trace_agent_stats`);
      const out: TraceAgentStats[] = [];
      for (const [agent, a] of byAgent) {
        a.latencies.sort((x, y) => x - y);
        const avg = a.latencies.length ? a.latencies.reduce((sum, v) => sum + v, 0) / a.latencies.length : null;
        const stats: TraceAgentStats = {
          agent, runs: a.runs, errors: a.errors, errorRate: a.runs ? a.errors / a.runs : 0,
          avgLatencyMs: avg === null ? null : Math.round(avg * 10) / 10, p95LatencyMs: percentile(a.latencies, 95),
          lastRunAt: a.last || null, windowMs, updatedAt: now,
        };
        await c.query(`INSERT INTO ${s}.trace_agent_stats (agent, runs, errors, error_rate, avg_latency_ms, p95_latency_ms, last_run_at, window_ms, updated_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [agent, stats.runs, stats.errors, stats.errorRate, stats.avgLatencyMs, stats.p95LatencyMs, stats.lastRunAt, Math.trunc(windowMs), now]);
        out.push(stats);
      }
      return out;
    });
  }

  async getStats(): Promise<TraceAgentStats[]> {
    return (await this.core.query<StatsRow>({ text: `SELECT * FROM ${this.core.s}.trace_agent_stats ORDER BY agent COLLATE "C"` })).rows.map(toStats);
  }

  async pruneRuns(before: number): Promise<number> {
    return (await this.core.query({ text: `DELETE FROM ${this.core.s}.trace_runs WHERE started_at < $1`, values: [Math.trunc(before)] })).rowCount ?? 0;
  }
}

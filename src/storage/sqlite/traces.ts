/**
 * SQLite TraceStore: LangSmith run summaries upserted by run id (a run read twice is stored
 * once; a pending run that finished is updated), the per-project read cursor moved in the same
 * transaction, and per-agent error rate / latency recomputed over a time window.
 */
import type { Clock } from "../../clock/index.js";
import { ValidationError } from "../../errors/index.js";
import {
  RUN_STATUSES, type RunStatus, type RunSummary, type SaveRunsResult, type TraceAgentStats, type TraceRunQuery, type TraceStore,
} from "../traces-types.js";
import type { Db } from "./open.js";

/** The bits of SharedState this store uses (no import of shared-state.ts: no cycle). */
export interface TraceStoreCore {
  readonly db: Db;
  write<T>(fn: () => T): Promise<T>;
  readonly clock: Pick<Clock, "now">;
}

interface RunRow {
  run_id: string;
  trace_id: string | null;
  project: string;
  agent: string;
  name: string;
  status: RunStatus;
  started_at: number;
  ended_at: number | null;
  latency_ms: number | null;
  error: string | null;
  link: string | null;
}

interface StatsRow {
  agent: string;
  runs: number;
  errors: number;
  error_rate: number;
  avg_latency_ms: number | null;
  p95_latency_ms: number | null;
  last_run_at: number | null;
  window_ms: number;
  updated_at: number;
}

const toSummary = (r: RunRow): RunSummary => ({
  runId: r.run_id, traceId: r.trace_id, project: r.project, agent: r.agent, name: r.name, status: r.status,
  startedAt: r.started_at, endedAt: r.ended_at, latencyMs: r.latency_ms, error: r.error, link: r.link,
});

const toStats = (r: StatsRow): TraceAgentStats => ({
  agent: r.agent, runs: r.runs, errors: r.errors, errorRate: r.error_rate, avgLatencyMs: r.avg_latency_ms,
  p95LatencyMs: r.p95_latency_ms, lastRunAt: r.last_run_at, windowMs: r.window_ms, updatedAt: r.updated_at,
});

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export class SqliteTraceStore implements TraceStore {
  constructor(private readonly core: TraceStoreCore) {}

  async saveRuns(project: string, runs: RunSummary[], cursor?: number): Promise<SaveRunsResult> {
    for (const r of runs) {
      if (!r.runId || !(RUN_STATUSES as readonly string[]).includes(r.status) || !Number.isFinite(r.startedAt)) {
        throw new ValidationError(`Run summary ${JSON.stringify(r.runId)} is invalid: needs a run id, a status (${RUN_STATUSES.join(", ")}) and a start time`);
      }
    }
    const { db } = this.core;
    const insert = db.prepare(`
      INSERT INTO trace_runs (run_id, trace_id, project, agent, name, status, started_at, ended_at, latency_ms, error, link, fetched_at)
      VALUES (@runId, @traceId, @project, @agent, @name, @status, @startedAt, @endedAt, @latencyMs, @error, @link, @now)
      ON CONFLICT(run_id) DO NOTHING`);
    // only a change counts as an update, so reading the same finished run again writes nothing
    const update = db.prepare(`
      UPDATE trace_runs SET status = @status, ended_at = @endedAt, latency_ms = @latencyMs, error = @error,
        link = coalesce(@link, link), fetched_at = @now
      WHERE run_id = @runId AND (status IS NOT @status OR ended_at IS NOT @endedAt OR error IS NOT @error)`);
    const moveCursor = db.prepare(`
      INSERT INTO trace_cursors (project, cursor, updated_at) VALUES (?, ?, ?)
      ON CONFLICT(project) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`);
    return this.core.write(() => {
      const now = this.core.clock.now();
      let inserted = 0;
      let updated = 0;
      for (const r of runs) {
        const params = { ...r, project: r.project || project, now };
        if (insert.run(params).changes > 0) inserted++;
        else if (update.run(params).changes > 0) updated++;
      }
      if (cursor !== undefined && Number.isFinite(cursor)) moveCursor.run(project, Math.floor(cursor), now);
      return { inserted, updated };
    });
  }

  async getCursor(project: string): Promise<number | undefined> {
    const row = this.core.db.prepare(`SELECT cursor FROM trace_cursors WHERE project = ?`).get(project) as { cursor: number } | undefined;
    return row?.cursor;
  }

  async queryRuns(q: TraceRunQuery = {}): Promise<RunSummary[]> {
    if (q.status !== undefined && !(RUN_STATUSES as readonly string[]).includes(q.status)) {
      throw new ValidationError(`Unknown run status "${q.status}"; expected one of ${RUN_STATUSES.join(", ")}`);
    }
    const limit = Math.max(1, Math.min(10_000, Math.floor(q.limit ?? 50)));
    const rows = this.core.db.prepare(`
      SELECT * FROM trace_runs
      WHERE (@agent IS NULL OR agent = @agent) AND (@status IS NULL OR status = @status) AND started_at >= @since
      ORDER BY started_at DESC, run_id DESC LIMIT ${limit}`)
      .all({ agent: q.agent ?? null, status: q.status ?? null, since: q.since ?? 0 }) as RunRow[];
    return rows.map(toSummary);
  }

  async countRuns(agent?: string): Promise<number> {
    const row = this.core.db.prepare(`SELECT count(*) AS n FROM trace_runs WHERE (@agent IS NULL OR agent = @agent)`).get({ agent: agent ?? null }) as { n: number };
    return row.n;
  }

  async refreshStats(windowMs: number): Promise<TraceAgentStats[]> {
    const { db } = this.core;
    const finished = db.prepare(`
      SELECT agent, status, latency_ms, started_at FROM trace_runs
      WHERE started_at >= ? AND status != 'pending' ORDER BY agent`);
    const replace = db.prepare(`
      INSERT INTO trace_agent_stats (agent, runs, errors, error_rate, avg_latency_ms, p95_latency_ms, last_run_at, window_ms, updated_at)
      VALUES (@agent, @runs, @errors, @errorRate, @avgLatencyMs, @p95LatencyMs, @lastRunAt, @windowMs, @updatedAt)`);
    return this.core.write(() => {
      const now = this.core.clock.now();
      const byAgent = new Map<string, { errors: number; latencies: number[]; runs: number; last: number }>();
      for (const r of finished.iterate(now - windowMs) as Iterable<{ agent: string; status: RunStatus; latency_ms: number | null; started_at: number }>) {
        const a = byAgent.get(r.agent) ?? { errors: 0, latencies: [], runs: 0, last: 0 };
        a.runs++;
        if (r.status === "error") a.errors++;
        if (r.latency_ms !== null) a.latencies.push(r.latency_ms);
        a.last = Math.max(a.last, r.started_at);
        byAgent.set(r.agent, a);
      }
      db.prepare(`DELETE FROM trace_agent_stats`).run();
      const out: TraceAgentStats[] = [];
      for (const [agent, a] of byAgent) {
        a.latencies.sort((x, y) => x - y);
        const avg = a.latencies.length ? a.latencies.reduce((s, v) => s + v, 0) / a.latencies.length : null;
        const stats: TraceAgentStats = {
          agent, runs: a.runs, errors: a.errors, errorRate: a.runs ? a.errors / a.runs : 0,
          avgLatencyMs: avg === null ? null : Math.round(avg * 10) / 10, p95LatencyMs: percentile(a.latencies, 95),
          lastRunAt: a.last || null, windowMs, updatedAt: now,
        };
        replace.run(stats);
        out.push(stats);
      }
      return out;
    });
  }

  async getStats(): Promise<TraceAgentStats[]> {
    return (this.core.db.prepare(`SELECT * FROM trace_agent_stats ORDER BY agent`).all() as StatsRow[]).map(toStats);
  }

  async pruneRuns(before: number): Promise<number> {
    return this.core.write(() => this.core.db.prepare(`DELETE FROM trace_runs WHERE started_at < ?`).run(before).changes);
  }
}

/**
 * SQLite PerfStore: raw samples for a day, then hourly roll-ups (count/min/max/sum) kept for
 * `rollupRetentionMs`; prune() moves rows across in one transaction, so the file stays bounded.
 */
import type { FleetReading, PerfPoint, PerfQuery, PerfRollup, PerfSample, PerfStore } from "../perf-types.js";
import type { StoreCore } from "./fleet.js";

export interface PerfStoreOptions {
  /** @defaultValue 24 h */
  rawRetentionMs?: number;
  /** @defaultValue 30 days */
  rollupRetentionMs?: number;
}

const HOUR = 3_600_000;
const LIVE = "('initializing','active','error','recovering')";

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

  async readFleet(now: number, since: number, limit = 500): Promise<FleetReading> {
    const { db } = this.core;
    const agents = (db.prepare(`
      SELECT name, state, last_heartbeat, cpu_percent, rss_bytes, hb_latency_ms, loop_lag_ms FROM agents
      WHERE state IN ${LIVE} OR state = 'stale' ORDER BY last_heartbeat LIMIT ?`).all(limit) as Array<{
      name: string; state: string; last_heartbeat: number; cpu_percent: number | null; rss_bytes: number | null;
      hb_latency_ms: number | null; loop_lag_ms: number | null;
    }>).map((r) => ({
      name: r.name, state: r.state, ageMs: Math.max(0, now - r.last_heartbeat), cpuPercent: r.cpu_percent,
      rssBytes: r.rss_bytes, heartbeatLatencyMs: r.hb_latency_ms, eventLoopLagMs: r.loop_lag_ms,
    }));
    const errorsByAgent: Record<string, number> = {};
    for (const r of db.prepare(`SELECT agent, count(*) AS n FROM agent_errors WHERE at >= ? GROUP BY agent`).all(since) as { agent: string; n: number }[]) {
      errorsByAgent[r.agent] = r.n;
    }
    const activations = db.prepare(`
      SELECT a.agent AS agent, a.at - (SELECT max(b.at) FROM agent_transitions b
        WHERE b.agent = a.agent AND b.to_state = 'initializing' AND b.id < a.id) AS ms
      FROM agent_transitions a
      WHERE a.from_state = 'initializing' AND a.to_state = 'active' AND a.at >= ?`).all(since) as { agent: string; ms: number | null }[];
    return { agents, errorsByAgent, activations: activations.filter((a): a is { agent: string; ms: number } => a.ms !== null) };
  }
}

function params(q: PerfQuery) {
  return { metric: q.metric, agent: q.agent ?? null, since: q.since ?? 0, limit: Math.max(1, Math.floor(q.limit ?? 500)) };
}

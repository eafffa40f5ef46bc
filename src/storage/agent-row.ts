/**
 * The agents table's columns as both backends read them, and the one mapping to AgentRecord.
 * Only how `meta` and `activity` arrive differs (SQLite: JSON text; PostgreSQL: parsed by pg).
 */
import type { AgentActivity, AgentRecord, AgentState } from "./types.js";

export interface AgentRowOf<Json> {
  name: string; state: string; state_reason: string | null; state_changed_at: number; registered_at: number;
  started_at: number; last_heartbeat: number; pid: number | null; host: string | null; version: string | null;
  rss_bytes: number | null; cpu_percent: number | null; loop_lag_ms: number | null; hb_latency_ms: number | null;
  error_count: number; last_error: string | null; last_error_at: number | null; restarts: number; heartbeats: number;
  restart_requested_at: number | null; meta: Json | null; activity: Json | null;
  hb_count?: number; hb_mean_ms?: number; hb_var_ms2?: number; stale_after_ms?: number | null;
}

export function agentRecordFrom<Json>(r: AgentRowOf<Json>, json: (v: Json) => unknown): AgentRecord {
  return {
    name: r.name,
    state: r.state as AgentState,
    stateReason: r.state_reason,
    stateChangedAt: r.state_changed_at,
    registeredAt: r.registered_at,
    startedAt: r.started_at,
    lastHeartbeat: r.last_heartbeat,
    pid: r.pid,
    host: r.host,
    version: r.version,
    rssBytes: r.rss_bytes,
    cpuPercent: r.cpu_percent,
    eventLoopLagMs: r.loop_lag_ms,
    heartbeatLatencyMs: r.hb_latency_ms,
    errorCount: r.error_count,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    restarts: r.restarts,
    heartbeats: r.heartbeats,
    restartRequestedAt: r.restart_requested_at,
    meta: r.meta ? (json(r.meta) as Record<string, unknown>) : null,
    activity: r.activity ? (json(r.activity) as AgentActivity) : null,
    ...(r.hb_count === undefined ? {} : { history: { count: r.hb_count, meanMs: r.hb_mean_ms ?? 0, varianceMs2: r.hb_var_ms2 ?? 0, staleAfterMs: r.stale_after_ms ?? null } }),
  };
}

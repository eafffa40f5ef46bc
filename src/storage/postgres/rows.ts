/** Row ↔ record mapping of the PostgreSQL store (bigint arrives as a number, json parsed by pg). */
import type { AgentActivity, AgentRecord, AgentState, HeartbeatInfo, Transition } from "../types.js";

export interface AgentRow {
  name: string; state: string; state_reason: string | null; state_changed_at: number; registered_at: number;
  started_at: number; last_heartbeat: number; pid: number | null; host: string | null; version: string | null;
  rss_bytes: number | null; cpu_percent: number | null; loop_lag_ms: number | null; hb_latency_ms: number | null;
  error_count: number; last_error: string | null; last_error_at: number | null; restarts: number; heartbeats: number;
  restart_requested_at: number | null; meta: Record<string, unknown> | null; activity: AgentActivity | null;
  hb_count?: number; hb_mean_ms?: number; hb_var_ms2?: number; stale_after_ms?: number | null;
}

export function toAgentRecord(r: AgentRow): AgentRecord {
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
    meta: r.meta ?? null,
    activity: r.activity ?? null,
    ...(r.hb_count === undefined ? {} : { history: { count: r.hb_count, meanMs: r.hb_mean_ms ?? 0, varianceMs2: r.hb_var_ms2 ?? 0, staleAfterMs: r.stale_after_ms ?? null } }),
  };
}

export interface TransitionRow {
  id: number; agent: string; from_state: string | null; to_state: string; at: number; reason: string | null;
}

export function toTransition(r: TransitionRow): Transition {
  return { id: r.id, agent: r.agent, from: r.from_state as AgentState | null, to: r.to_state as AgentState, at: r.at, reason: r.reason };
}

/** PostgreSQL text cannot hold NUL; everything else is kept as given. */
export const pgText = (s: string | null | undefined): string | null => (s == null ? null : s.replaceAll("\0", "\uFFFD"));

/** $3.. $10 of the heartbeat statements: the optional fields, null when absent. */
export function heartbeatValues(info: HeartbeatInfo = {}): unknown[] {
  return [info.pid ?? null, pgText(info.host), pgText(info.version), info.rssBytes ?? null, info.cpuPercent ?? null, info.eventLoopLagMs ?? null, info.writeLatencyMs ?? null,
    info.activity ? pgText(JSON.stringify(info.activity)) : null];
}

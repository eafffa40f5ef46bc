/** Row ↔ record mapping for SharedState. */
import type { AgentActivity, AgentRecord, AgentState, HeartbeatInfo, Transition } from "../types.js";
import { agentRecordFrom, type AgentRowOf } from "../agent-row.js";

export type AgentRow = AgentRowOf<string>;

export function toAgentRecord(r: AgentRow): AgentRecord {
  return agentRecordFrom(r, (v) => JSON.parse(v) as unknown);
}

/** The agents columns in the order recordFromRaw reads them. */
export const AGENT_COLUMNS = `name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat, pid, host, version,
  rss_bytes, cpu_percent, loop_lag_ms, hb_latency_ms, error_count, last_error, last_error_at, restarts, heartbeats, restart_requested_at, meta, activity,
  hb_count, hb_mean_ms, hb_var_ms2, stale_after_ms`;

/** A row fetched in raw (array) mode, in AGENT_COLUMNS order. */
export function recordFromRaw(r: unknown[]): AgentRecord {
  return {
    name: r[0] as string, state: r[1] as AgentState, stateReason: r[2] as string | null, stateChangedAt: r[3] as number,
    registeredAt: r[4] as number, startedAt: r[5] as number, lastHeartbeat: r[6] as number, pid: r[7] as number | null,
    host: r[8] as string | null, version: r[9] as string | null, rssBytes: r[10] as number | null, cpuPercent: r[11] as number | null,
    eventLoopLagMs: r[12] as number | null, heartbeatLatencyMs: r[13] as number | null, errorCount: r[14] as number,
    lastError: r[15] as string | null, lastErrorAt: r[16] as number | null, restarts: r[17] as number, heartbeats: r[18] as number,
    restartRequestedAt: r[19] as number | null, meta: r[20] ? (JSON.parse(r[20] as string) as Record<string, unknown>) : null,
    activity: r[21] ? (JSON.parse(r[21] as string) as AgentActivity) : null,
    history: { count: r[22] as number, meanMs: r[23] as number, varianceMs2: r[24] as number, staleAfterMs: r[25] as number | null },
  };
}

export interface TransitionRow {
  id: number; agent: string; from_state: string | null; to_state: string; at: number; reason: string | null;
}

export function toTransition(r: TransitionRow): Transition {
  return { id: r.id, agent: r.agent, from: r.from_state as AgentState | null, to: r.to_state as AgentState, at: r.at, reason: r.reason };
}

/** Named parameters for a heartbeat: every optional field bound, null when absent. */
export function heartbeatParams(name: string, now: number, info: HeartbeatInfo = {}) {
  return {
    name,
    now,
    pid: info.pid ?? null,
    host: info.host ?? null,
    version: info.version ?? null,
    rssBytes: info.rssBytes ?? null,
    cpuPercent: info.cpuPercent ?? null,
    eventLoopLagMs: info.eventLoopLagMs ?? null,
    writeLatencyMs: info.writeLatencyMs ?? null,
    activity: info.activity ? JSON.stringify(info.activity) : null,
  };
}

/** Row ↔ record mapping of the PostgreSQL store (bigint arrives as a number, json parsed by pg). */
import type { AgentRecord, AgentState, HeartbeatInfo, Transition } from "../types.js";
import { agentRecordFrom, type AgentRowOf } from "../agent-row.js";

export type AgentRow = AgentRowOf<unknown>;

export function toAgentRecord(r: AgentRow): AgentRecord {
  return agentRecordFrom(r, (v) => v);
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

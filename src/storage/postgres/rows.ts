/** Row ↔ record mapping of the PostgreSQL store (bigint arrives as a number, json parsed by pg). */
import type { AgentRecord, AgentState, HeartbeatInfo, HeartbeatUpdate, Transition } from "../types.js";
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

/** One row per name of a heartbeat batch (the later non-null fields win), with how many heartbeats it stands for. */
export interface MergedHeartbeat {
  name: string;
  values: unknown[];
  count: number;
}

export function mergeHeartbeats(batch: readonly HeartbeatUpdate[]): MergedHeartbeat[] {
  const byName = new Map<string, MergedHeartbeat>();
  for (const b of batch) {
    const values = heartbeatValues(b.info);
    const prev = byName.get(b.name);
    if (!prev) byName.set(b.name, { name: b.name, values, count: 1 });
    else {
      prev.count++;
      prev.values = prev.values.map((v, i) => values[i] ?? v);
    }
  }
  return [...byName.values()];
}

/** The parameters of the unnest() batch statements: names, now, one array per heartbeat column, counts. */
export function batchParams(rows: readonly MergedHeartbeat[], now: number | null): unknown[] {
  const columns = rows[0]!.values.map((_, i) => rows.map((m) => m.values[i]));
  return [rows.map((m) => m.name), now, ...columns, rows.map((m) => m.count)];
}

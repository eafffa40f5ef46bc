/**
 * The SQL behind getRegisteredAgents/countAgents on PostgreSQL: the same filters, sort keys and
 * tie-break as SQLite's AgentList (byte order of names, COLLATE "C", whatever the database's collation).
 */
import { ValidationError } from "../../errors/index.js";
import { AGENT_SORT_KEYS, AGENT_STATES, STATE_SORT_ORDER, isAgentState, type AgentFilter, type AgentQuery, type AgentSortKey } from "../types.js";
import { LIVE } from "./statements.js";

/** Ascending SQL for each key, as types.ts words it (e.g. youngest heartbeat first). */
const SQL_ORDER: Record<AgentSortKey, string> = {
  name: `name COLLATE "C"`,
  state: `CASE state ${STATE_SORT_ORDER.map((st, i) => `WHEN '${st}' THEN ${i}`).join(" ")} END`,
  lastHeartbeat: "-last_heartbeat",
  uptime: `CASE WHEN state IN ${LIVE} THEN -started_at ELSE -9000000000000000000 END`,
  restarts: "restarts",
  errorCount: "error_count",
  pid: "coalesce(pid, -1)",
  host: `coalesce(host, '') COLLATE "C"`,
};

/** WHERE clause and values; placeholders start at $`first`. */
export function agentWhere(f: AgentFilter, first = 1): { sql: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  if (f.states?.length) {
    for (const st of f.states) if (!isAgentState(st)) throw new ValidationError(`Unknown state "${String(st)}"; expected one of ${AGENT_STATES.join(", ")}`);
    values.push(f.states);
    where.push(`state = ANY($${first + values.length - 1}::text[])`);
  }
  if (f.nameContains) {
    values.push(f.nameContains.toLowerCase());
    where.push(`strpos(lower(name), $${first + values.length - 1}) > 0`);
  }
  return { sql: where.length ? ` WHERE ${where.join(" AND ")}` : "", values };
}

const whole = (n: number | undefined): number | null => (n === undefined ? null : Math.max(0, Math.floor(n)));

export function agentListSql(s: string, q: AgentQuery): { text: string; values: unknown[] } {
  const sort = q.sort ?? "name";
  if (!(AGENT_SORT_KEYS as readonly string[]).includes(sort)) throw new ValidationError(`Unknown sort key "${sort}"; expected one of ${AGENT_SORT_KEYS.join(", ")}`);
  const where = agentWhere(q);
  const dir = q.order === "desc" ? "DESC" : "ASC";
  const n = where.values.length;
  return {
    text: `SELECT * FROM ${s}.agents${where.sql} ORDER BY ${SQL_ORDER[sort]} ${dir}, name COLLATE "C" ASC LIMIT $${n + 1} OFFSET $${n + 2}`,
    values: [...where.values, whole(q.limit), whole(q.offset) ?? 0],
  };
}

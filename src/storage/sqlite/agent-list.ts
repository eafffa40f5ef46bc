/**
 * The SQL behind getRegisteredAgents/countAgents: filter by state and name, sort by any
 * AgentSortKey, page with LIMIT/OFFSET, so a 50-row page of 10k agents reads 50 rows. Statements
 * are prepared once per query shape; rows come in raw (array) mode, 2-3x cheaper than row objects.
 */
import type Database from "better-sqlite3";
import { ValidationError } from "../../errors/index.js";
import {
  AGENT_SORT_KEYS, AGENT_STATES, STATE_SORT_ORDER, isAgentState,
  type AgentFilter, type AgentQuery, type AgentRecord, type AgentSortKey,
} from "../types.js";
import type { Db } from "./open.js";
import { AGENT_VIEW_JSON } from "./agent-view-sql.js";
import { AGENT_COLUMNS, recordFromRaw } from "./rows.js";
import { LIVE_SQL } from "./state-sql.js";


/** Ascending SQL for each key, as types.ts words it (e.g. youngest heartbeat first). */
const SQL_ORDER: Record<AgentSortKey, string> = {
  name: "name",
  state: `CASE state ${STATE_SORT_ORDER.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} END`,
  lastHeartbeat: "-last_heartbeat",
  uptime: `CASE WHEN state IN ${LIVE_SQL} THEN -started_at ELSE -9e18 END`,
  restarts: "restarts",
  errorCount: "error_count",
  pid: "coalesce(pid, -1)",
  host: "coalesce(host, '')",
};

function whereOf(f: AgentFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.states?.length) {
    for (const s of f.states) if (!isAgentState(s)) throw new ValidationError(`Unknown state "${String(s)}"; expected one of ${AGENT_STATES.join(", ")}`);
    where.push(`state IN (${f.states.map(() => "?").join(",")})`);
    params.push(...f.states);
  }
  if (f.nameContains) {
    where.push("instr(lower(name), ?) > 0");
    params.push(f.nameContains.toLowerCase());
  }
  return { sql: where.length ? ` WHERE ${where.join(" AND ")}` : "", params };
}

const whole = (n: number | undefined, fallback: number) => (n === undefined ? fallback : Math.max(0, Math.floor(n)));

export class AgentList {
  private readonly cache = new Map<string, Database.Statement>();

  constructor(private readonly db: Db) {}

  list(q: AgentQuery): AgentRecord[] {
    const { sql, params } = this.select(AGENT_COLUMNS, "agents", q);
    return (this.statement(sql, true).all(...params) as unknown[][]).map(recordFromRaw);
  }

  /** The same list as a JSON array of AgentView objects at `now`, rendered by SQLite. */
  listJson(q: AgentQuery, now: number, lateAfterMs = Number.MAX_SAFE_INTEGER): { json: string; count: number } {
    const { sql, params } = this.select(AGENT_VIEW_JSON, "agents, (SELECT CAST(? AS INTEGER) AS now, CAST(? AS INTEGER) AS late_after)", q);
    const rows = this.statement(sql, false).pluck().all(Math.trunc(now), Math.min(Number.MAX_SAFE_INTEGER, Math.trunc(lateAfterMs)), ...params) as string[];
    return { json: `[${rows.join(",")}]`, count: rows.length };
  }

  count(f: AgentFilter): number {
    const where = whereOf(f);
    return this.statement(`SELECT count(*) FROM agents${where.sql}`, false).pluck().get(...where.params) as number;
  }

  private select(columns: string, from: string, q: AgentQuery): { sql: string; params: unknown[] } {
    const sort = q.sort ?? "name";
    if (!(AGENT_SORT_KEYS as readonly string[]).includes(sort)) throw new ValidationError(`Unknown sort key "${sort}"; expected one of ${AGENT_SORT_KEYS.join(", ")}`);
    const where = whereOf(q);
    const dir = q.order === "desc" ? "DESC" : "ASC";
    return {
      sql: `SELECT ${columns} FROM ${from}${where.sql} ORDER BY ${SQL_ORDER[sort]} ${dir}, name ASC LIMIT ? OFFSET ?`,
      params: [...where.params, whole(q.limit, -1), whole(q.offset, 0)],
    };
  }

  private statement(sql: string, raw: boolean): Database.Statement {
    let st = this.cache.get(sql);
    if (!st) {
      // shapes are few (sort x order x which filters), but bound the cache anyway
      if (this.cache.size >= 200) this.cache.clear();
      st = this.db.prepare(sql);
      if (raw) st.raw(true);
      this.cache.set(sql, st);
    }
    return st;
  }
}

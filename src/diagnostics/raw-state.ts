/**
 * The raw shared state for `bg-agents inspect`: agent rows as stored, recent transitions and
 * errors, system_state, row counts of every table, schema version. Read-only connection.
 */
import { SCHEMA_VERSION, schemaVersion, type Db } from "../storage/sqlite/index.js";
import { hasTable, tableRowCounts } from "./db-open.js";

export interface RawStateOptions {
  /** Only this agent's rows, transitions and errors. */
  agent?: string;
  /** Newest transitions / errors returned. @defaultValue 20 */
  limit?: number;
}

export interface RawState {
  schemaVersion: number;
  expectedSchemaVersion: number;
  tables: Record<string, number>;
  /** Rows of `agents` exactly as stored (snake_case columns, epoch ms). */
  agents: Record<string, unknown>[];
  /** Newest first. */
  transitions: Record<string, unknown>[];
  /** Newest first. */
  errors: Record<string, unknown>[];
  systemState: Record<string, unknown>[];
}

export function readRawState(db: Db, o: RawStateOptions = {}): RawState {
  const limit = Math.max(1, Math.floor(o.limit ?? 20));
  const agent = o.agent ?? null;
  const rows = (table: string, sql: string, params: Record<string, unknown> = {}) =>
    hasTable(db, table) ? (db.prepare(sql).all(params) as Record<string, unknown>[]) : [];
  return {
    schemaVersion: schemaVersion(db),
    expectedSchemaVersion: SCHEMA_VERSION,
    tables: tableRowCounts(db),
    agents: rows("agents", `SELECT * FROM agents WHERE @agent IS NULL OR name = @agent ORDER BY name`, { agent }),
    transitions: rows("agent_transitions",
      `SELECT * FROM agent_transitions WHERE @agent IS NULL OR agent = @agent ORDER BY id DESC LIMIT @limit`, { agent, limit }),
    errors: rows("agent_errors", `SELECT * FROM agent_errors WHERE @agent IS NULL OR agent = @agent ORDER BY id DESC LIMIT @limit`, { agent, limit }),
    systemState: rows("system_state", `SELECT * FROM system_state ORDER BY key`),
  };
}

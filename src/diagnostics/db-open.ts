/**
 * Read-only connections for diagnosis: never migrates, never takes the state lock, so it works
 * while a writer is stuck. The caller checks the header first (inspectDbFile) and never opens a
 * file that is not SQLite.
 */
import Database from "better-sqlite3";
import type { AgentRecord } from "../storage/index.js";
import { asDatabaseError, type Db } from "../storage/sqlite/open.js";
import { toAgentRecord, type AgentRow } from "../storage/sqlite/rows.js";

export function openReadOnly(path: string): Db {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 1000");
    return db;
  } catch (e) {
    throw asDatabaseError(e, path);
  }
}

export function hasTable(db: Db, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

/** Every agent record, read directly (same mapping as SharedState). */
export function readAgentRecords(db: Db): AgentRecord[] {
  return (db.prepare(`SELECT * FROM agents ORDER BY name`).all() as AgentRow[]).map(toAgentRecord);
}

/** Row count per table (ours, LangGraph's and any other), in name order. */
export function tableRowCounts(db: Db): Record<string, number> {
  const names = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[];
  const out: Record<string, number> = {};
  for (const { name } of names) out[name] = (db.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
  return out;
}

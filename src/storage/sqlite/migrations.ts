/**
 * Numbered schema migrations, tracked in PRAGMA user_version. Each runs in one transaction.
 * Never edit a released migration: add a new one. Our tables avoid the names `checkpoints` and
 * `writes`, which belong to LangGraph's SqliteSaver (created here too, with its own DDL).
 */
import { DatabaseError } from "../../errors/index.js";
import type { Db } from "./open.js";

import m001 from "./migrations/001-core.js";
import m002 from "./migrations/002-fleet.js";
import m003 from "./migrations/003-http.js";
import m004 from "./migrations/004-traces.js";
import m005 from "./migrations/005-pings.js";
import m006 from "./migrations/006-transition-ids.js";
import m007 from "./migrations/007-notify.js";
import m008 from "./migrations/008-activity.js";
import m009 from "./migrations/009-detection.js";
import m010 from "./migrations/010-signals.js";
import m011 from "./migrations/011-state-counts.js";
import m012 from "./migrations/012-live-index-predicates.js";
import m013 from "./migrations/013-one-live-index.js";

/** In order; the position is the version. Add a file per migration, never edit a released one. */
export const MIGRATIONS: string[] = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function schemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Applies pending migrations. Call inside the state lock; runs as one IMMEDIATE transaction. */
export function migrate(db: Db, path: string): { from: number; to: number } {
  return db.transaction(() => {
    const from = assertCompatible(db, path);
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v]!);
    if (from !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return { from, to: SCHEMA_VERSION };
  }).immediate();
}

/**
 * Refuses a file with a newer schema, or one made by another program; returns its version.
 * Read-only, so it can run before the file is switched to WAL (which rewrites its header).
 */
export function assertCompatible(db: Db, path: string): number {
  const from = schemaVersion(db);
  if (from > SCHEMA_VERSION) {
    throw new DatabaseError("DB_SCHEMA_NEWER", path,
      `${path} has schema version ${from}, newer than this build knows (${SCHEMA_VERSION}). Upgrade background-agents; the file was left untouched.`);
  }
  if (from === 0) assertNoForeignTables(db, path);
  return from;
}

/** A version-0 file that already has tables of ours was made by something else: don't touch it. */
function assertNoForeignTables(db: Db, path: string): void {
  const clash = db.prepare(
    `SELECT name FROM sqlite_master WHERE type='table' AND name IN ('agents','agent_transitions','agent_errors','system_state')`,
  ).all() as { name: string }[];
  if (clash.length) {
    throw new DatabaseError("DB_NOT_SQLITE", path,
      `${path} is a SQLite database made by another program (it has table ${clash[0]!.name} but no background-agents schema version). ` +
        `It was left untouched; point DATABASE_PATH at another file.`);
  }
}

/**
 * Numbered schema migrations of the PostgreSQL store, tracked in `<schema>.schema_migrations`.
 * All pending ones run in one transaction under an advisory lock, so processes starting together
 * never race (the second waits, then finds nothing to do). Never edit a released migration: add one.
 */
import type pg from "pg";
import { DatabaseError } from "../../errors/index.js";
import m001 from "./migrations/001-core.js";
import m002 from "./migrations/002-fleet.js";
import m003 from "./migrations/003-traces.js";
import m004 from "./migrations/004-pings.js";
import m005 from "./migrations/005-notify.js";
import m006 from "./migrations/006-activity.js";
import m007 from "./migrations/007-leases.js";
import m008 from "./migrations/008-detection.js";
import m009 from "./migrations/009-signals.js";
import m010 from "./migrations/010-name-order.js";
import m011 from "./migrations/011-state-counts.js";
import m012 from "./migrations/012-sweep-columns-first.js";
import m013 from "./migrations/013-half-full-pages.js";
import m014 from "./migrations/014-serial-agent-scans.js";

/** In order; the position is the version. Each takes the quoted schema name. */
export const MIGRATIONS: Array<(schema: string) => string> = [m001, m002, m003, m004, m005, m006, m007, m008, m009, m010, m011, m012, m013, m014];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** A double-quoted identifier (the schema names are validated by the config, quoting is belt and braces). */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** One lock key per schema: migrations of different schemas in one database do not wait for each other. */
const lockKey = (schema: string) => `hashtext('background-agents migrate ' || ${literal(schema)})`;
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

export async function schemaVersion(client: pg.ClientBase, schema: string): Promise<number> {
  const exists = await client.query(`SELECT to_regclass(${literal(`${ident(schema)}.schema_migrations`)}) IS NOT NULL AS ok`);
  if (!exists.rows[0].ok) return 0;
  const r = await client.query(`SELECT coalesce(max(version), 0) AS v FROM ${ident(schema)}.schema_migrations`);
  return Number(r.rows[0].v);
}

/** Creates the schema if needed and applies pending migrations; refuses a schema newer than this build. */
export async function migrate(client: pg.ClientBase, schema: string, where: string): Promise<{ from: number; to: number }> {
  const s = ident(schema);
  await client.query("BEGIN");
  try {
    await client.query(`SELECT pg_advisory_xact_lock(${lockKey(schema)})`);
    const from = await schemaVersion(client, schema);
    if (from > SCHEMA_VERSION) {
      throw new DatabaseError("DB_SCHEMA_NEWER", where,
        `Schema ${schema} at ${where} has version ${from}, newer than this build knows (${SCHEMA_VERSION}). Upgrade background-agents; nothing was changed.`);
    }
    if (from === 0) await assertNoForeignTables(client, schema, where);
    if (from < SCHEMA_VERSION) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (let v = from; v < SCHEMA_VERSION; v++) {
        await client.query(MIGRATIONS[v]!(s));
        await client.query(`INSERT INTO ${s}.schema_migrations(version) VALUES ($1)`, [v + 1]);
      }
    }
    await client.query("COMMIT");
    return { from, to: SCHEMA_VERSION };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  }
}

/** A schema with an `agents` table but no migrations table was made by something else: leave it alone. */
async function assertNoForeignTables(client: pg.ClientBase, schema: string, where: string): Promise<void> {
  const r = await client.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_name IN ('agents','agent_transitions','agent_errors','system_state') LIMIT 1`,
    [schema]);
  if (r.rows.length) {
    throw new DatabaseError("DB_FOREIGN_SCHEMA", where,
      `Schema ${schema} at ${where} already has a table ${r.rows[0].table_name} made by another program (no background-agents schema version). ` +
        `Nothing was changed; set DATABASE_SCHEMA to another schema.`);
  }
}

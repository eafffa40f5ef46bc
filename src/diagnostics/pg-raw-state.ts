/**
 * The raw shared state on PostgreSQL for `bg-agents inspect` (DATABASE_URL): the same RawState as
 * the SQLite file gives (rows as stored, snake_case, epoch ms as numbers), plus the leases (who
 * leads the monitors, which host's supervisor holds its lease). Read only: nothing is written, no
 * migration runs.
 */
import { asPgDatabaseError, createClient } from "../storage/postgres/connection.js";
import { ident, schemaVersion, SCHEMA_VERSION } from "../storage/postgres/migrations.js";
import type { RawState, RawStateOptions } from "./raw-state.js";

export interface PgRawState extends RawState {
  /** Rows of `leases` and `lease_members` (the monitors' leader lease, one `supervisor@<host>` per host). */
  leases: Record<string, unknown>[];
  leaseMembers: Record<string, unknown>[];
}

export async function readPgRawState(url: string, schema: string, o: RawStateOptions = {}): Promise<PgRawState> {
  const limit = Math.max(1, Math.floor(o.limit ?? 20));
  const agent = o.agent ?? null;
  const s = ident(schema);
  const client = createClient(url, "bg-agents inspect");
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    throw asPgDatabaseError(e, url);
  }
  try {
    await client.query("SET default_transaction_read_only = on");
    const version = await schemaVersion(client, schema);
    const tables = (await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' ORDER BY c.relname`, [schema])).rows.map((r) => r.name);
    const has = new Set(tables);
    const counts: Record<string, number> = {};
    for (const t of tables) counts[t] = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${s}.${ident(t)}`)).rows[0]!.n);
    // row_to_json: bigint epoch ms arrive as numbers, as they do from SQLite
    const rows = async (table: string, sql: string, values: unknown[] = []) =>
      has.has(table) ? (await client.query<{ r: Record<string, unknown> }>(sql, values)).rows.map((x) => x.r) : [];
    return {
      schemaVersion: version,
      expectedSchemaVersion: SCHEMA_VERSION,
      tables: counts,
      agents: await rows("agents", `SELECT row_to_json(a) AS r FROM ${s}.agents a WHERE $1::text IS NULL OR name = $1 ORDER BY name COLLATE "C"`, [agent]),
      transitions: await rows("agent_transitions",
        `SELECT row_to_json(t) AS r FROM ${s}.agent_transitions t WHERE $1::text IS NULL OR agent = $1 ORDER BY id DESC LIMIT $2`, [agent, limit]),
      errors: await rows("agent_errors", `SELECT row_to_json(e) AS r FROM ${s}.agent_errors e WHERE $1::text IS NULL OR agent = $1 ORDER BY id DESC LIMIT $2`, [agent, limit]),
      systemState: await rows("system_state", `SELECT json_build_object('key', key, 'value', value::text, 'updated_at', updated_at) AS r FROM ${s}.system_state ORDER BY key COLLATE "C"`),
      leases: await rows("leases", `SELECT row_to_json(l) AS r FROM ${s}.leases l ORDER BY name COLLATE "C"`),
      leaseMembers: await rows("lease_members", `SELECT row_to_json(m) AS r FROM ${s}.lease_members m ORDER BY lease COLLATE "C", host, holder`),
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PostgreSQL FleetStore: system state key/values (json, kept as written) and bulk removal of agent records. */
import { assertAgentName } from "../agent-name.js";
import type { FleetStore } from "../fleet-types.js";
import type { PgCore } from "./core.js";
import { deleteAgentRows } from "./delete-agents.js";
import { SCHEMA_VERSION, schemaVersion } from "./migrations.js";
import { statements } from "./statements.js";

export class PgFleetStore implements FleetStore {
  private readonly sql;

  constructor(private readonly core: PgCore) {
    this.sql = statements(core.s);
  }

  async setSystemState(key: string, value: unknown): Promise<void> {
    await this.core.query({
      text: `INSERT INTO ${this.core.s}.system_state(key, value, updated_at) VALUES ($1, $3::json, ${this.core.now(2)})
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      values: [key, this.core.nowParam(), JSON.stringify(value ?? null)],
    });
  }

  async getSystemState<T = unknown>(key: string): Promise<T | undefined> {
    const r = await this.core.query<{ value: T }>({ text: `SELECT value FROM ${this.core.s}.system_state WHERE key = $1`, values: [key] });
    return r.rows[0]?.value;
  }

  async systemStatesByPrefix<T = unknown>(prefix: string): Promise<Array<{ key: string; value: T }>> {
    const r = await this.core.query<{ key: string; value: T }>({
      text: `SELECT key, value FROM ${this.core.s}.system_state WHERE left(key, $1) = $2 ORDER BY key COLLATE "C"`, values: [prefix.length, prefix] });
    return r.rows;
  }

  async ensureRegistered(names: string[], reason: string): Promise<string[]> {
    for (const n of names) assertAgentName(n);
    if (names.length === 0) return [];
    const r = await this.core.query<{ name: string }>({
      text: `INSERT INTO ${this.core.s}.agents (name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat)
        SELECT n, 'stopped', $3, t, t, t, t FROM unnest($1::text[]) WITH ORDINALITY AS u(n, i), (SELECT ${this.core.now(2)} AS t) x
        ORDER BY i ON CONFLICT (name) DO NOTHING RETURNING name`,
      values: [names, this.core.nowParam(), reason],
    });
    const added = new Set(r.rows.map((x) => x.name));
    return names.filter((n, i) => added.has(n) && names.indexOf(n) === i);
  }

  /** No page check to run on PostgreSQL (the server keeps its own): the connection works and the schema is current. */
  async checkDatabase(): Promise<{ ok: boolean; problems: string[]; schemaVersion: number; expectedVersion: number }> {
    const client = await this.core.retry(() => this.core.pool.connect());
    try {
      const version = await schemaVersion(client, this.core.s.slice(1, -1).replaceAll('""', '"'));
      const problems = version === SCHEMA_VERSION ? [] : [`schema version ${version}, expected ${SCHEMA_VERSION}`];
      return { ok: problems.length === 0, problems, schemaVersion: version, expectedVersion: SCHEMA_VERSION };
    } finally {
      client.release();
    }
  }

  async removeAgents(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    return this.core.tx((c) => deleteAgentRows(c, this.sql, names));
  }
}

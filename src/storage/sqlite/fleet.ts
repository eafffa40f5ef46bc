/** SQLite FleetStore: system state key/values and bulk removal of agent records. */
import { assertAgentName } from "../agent-name.js";
import type { FleetStore } from "../fleet-types.js";
import { SCHEMA_VERSION, schemaVersion as schemaVersionOf } from "./migrations.js";
import type { Db } from "./open.js";
import { deleteAgentRows } from "./delete-agents.js";

/** The bits of SharedState the fleet and perf stores use (avoids an import cycle). */
export interface StoreCore {
  readonly db: Db;
  write<T>(fn: () => T): Promise<T>;
  readonly clock: { now(): number };
}

export class SqliteFleetStore implements FleetStore {
  constructor(private readonly core: StoreCore) {}

  async setSystemState(key: string, value: unknown): Promise<void> {
    const json = JSON.stringify(value ?? null);
    await this.core.write(() =>
      this.core.db.prepare(`INSERT INTO system_state(key, value, updated_at) VALUES (?, ?, ?)
        ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`).run(key, json, this.core.clock.now()),
    );
  }

  async getSystemState<T = unknown>(key: string): Promise<T | undefined> {
    const row = this.core.db.prepare(`SELECT value FROM system_state WHERE key = ?`).get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  async systemStatesByPrefix<T = unknown>(prefix: string): Promise<Array<{ key: string; value: T }>> {
    const rows = this.core.db.prepare(`SELECT key, value FROM system_state WHERE substr(key, 1, ?) = ? ORDER BY key`).all(prefix.length, prefix) as Array<{ key: string; value: string }>;
    return rows.map((r) => ({ key: r.key, value: JSON.parse(r.value) as T }));
  }

  async ensureRegistered(names: string[], reason: string): Promise<string[]> {
    for (const n of names) assertAgentName(n);
    // transition: trigger (migration 006), one per agent created (none for a name that exists)
    const { db, clock } = this.core;
    return this.core.write(() => {
      const now = clock.now();
      const insert = db.prepare(`INSERT INTO agents (name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat)
        VALUES (?, 'stopped', ?, ?, ?, ?, ?) ON CONFLICT(name) DO NOTHING`);
      return names.filter((n) => insert.run(n, reason, now, now, now, now).changes > 0);
    });
  }

  async checkDatabase(): Promise<{ ok: boolean; problems: string[]; schemaVersion: number; expectedVersion: number }> {
    const rows = this.core.db.pragma("quick_check(5)") as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((r) => r !== "ok");
    const schemaVersion = schemaVersionOf(this.core.db);
    return { ok: problems.length === 0 && schemaVersion === SCHEMA_VERSION, problems, schemaVersion, expectedVersion: SCHEMA_VERSION };
  }

  async removeAgents(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    return this.core.write(() => deleteAgentRows(this.core.db, names));
  }

}

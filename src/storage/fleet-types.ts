/**
 * What the SystemInitializer and the supervisor keep besides agent rows: system state
 * (start time, version, config snapshot, supervisor pid) as JSON values under keys.
 */

export const SYSTEM_KEYS = {
  /** { startedAt, version, pid, host, schemaVersion } of the current (or last) start. */
  system: "system",
  /** Config snapshot without secrets. */
  config: "config",
  /** { pid, host, startedAt, agents: string[] } of the running (or last) supervisor. */
  supervisor: "supervisor",
} as const;

export interface FleetStore {
  setSystemState(key: string, value: unknown): Promise<void>;
  getSystemState<T = unknown>(key: string): Promise<T | undefined>;
  /** Every value whose key starts with `prefix` (e.g. one supervisor record per host), by key. */
  systemStatesByPrefix<T = unknown>(prefix: string): Promise<Array<{ key: string; value: T }>>;
  /** Creates records for agents not registered yet, in state `stopped` (not swept as stale before they start). Returns the new names. */
  ensureRegistered(names: string[], reason: string): Promise<string[]>;
  /** PRAGMA quick_check and the schema version, read only. */
  checkDatabase(): Promise<{ ok: boolean; problems: string[]; schemaVersion: number; expectedVersion: number }>;
  /** Deletes the named agents with their transitions and errors; returns those that existed. */
  removeAgents(names: string[]): Promise<string[]>;
}

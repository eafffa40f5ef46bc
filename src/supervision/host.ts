/**
 * Which host a supervisor speaks for. A SQLite file is one host's, so names stay as they are; a
 * PostgreSQL database is shared by hosts, so there each host runs its own supervisor (its record
 * under `supervisor@<host>`, its presence a lease `supervisor@<host>`) and the built-in agents it
 * runs are named `<name>@<host>`, so two hosts' system agents never share a record.
 */
import type { Config } from "../config/index.js";
import { SYSTEM_KEYS } from "../storage/index.js";

export type HostWhere = Pick<Config, "databaseUrl" | "hostName">;

/** Several hosts may share the database (PostgreSQL); a SQLite file is one host's. */
export function sharedByHosts(c: Pick<Config, "databaseUrl">): boolean {
  return Boolean(c.databaseUrl);
}

/** A built-in agent's name on this host: unchanged on SQLite, `<base>@<host>` on PostgreSQL. */
export function hostAgentName(base: string, c: HostWhere): string {
  return sharedByHosts(c) ? `${base}@${c.hostName}` : base;
}

export const SUPERVISOR_KEY_PREFIX = `${SYSTEM_KEYS.supervisor}@`;

/** The system_state key of this host's supervisor record. */
export function supervisorKey(c: HostWhere): string {
  return sharedByHosts(c) ? SUPERVISOR_KEY_PREFIX + c.hostName : SYSTEM_KEYS.supervisor;
}

/** The lease a host's supervisor holds while it runs (PostgreSQL). */
export function supervisorLease(host: string): string {
  return `supervisor@${host}`;
}

/**
 * Who serves restart requests on a database. SQLite: its one supervisor, while one runs (it holds
 * `<db>.supervisor.lock`), and only for the agents in its record. PostgreSQL: one supervisor per
 * host, each with its record (`supervisor@<host>`) and running while its lease does (HostLock).
 * Creates no file.
 */
import type { Config } from "../config/index.js";
import { isMemoryPath, SYSTEM_KEYS, type LeaderLease } from "../storage/index.js";
import { MEMBER_WINDOW_MS } from "./host-lock.js";
import { sharedByHosts, SUPERVISOR_KEY_PREFIX, supervisorLease } from "./host.js";
import { InstanceLock } from "./instance-lock.js";
import { parseSupervisorRecord, type SupervisorRecord } from "./record.js";

export interface Supervision {
  /** A supervisor holds `<db>.supervisor.lock` (PostgreSQL: its host's lease) right now. */
  running: boolean;
  /** The pid in the supervisor's record (of the running one, or the last one when none runs). */
  pid?: number;
  /** The agents the running supervisor runs; empty when none runs. */
  agents: string[];
  /** The record of the running or the last supervisor, if one ever ran. */
  record?: SupervisorRecord;
  /** PostgreSQL: the host this supervisor is the one of (absent on SQLite, one supervisor per file). */
  host?: string;
  /** PostgreSQL: when its lease was last renewed (store clock), if it ever held one. */
  seenAt?: number;
}

/** The one read this needs (FleetStore has it; the diagnostics adapt their raw file to it). */
export interface SystemStateReader {
  getSystemState<T = unknown>(key: string): Promise<T | undefined>;
}

/** What reading every host's supervisor takes (a StateStore is one). */
export interface SupervisorsReader {
  fleet: SystemStateReader & { systemStatesByPrefix<T = unknown>(prefix: string): Promise<Array<{ key: string; value: T }>> };
  leaseMembers: LeaderLease["leaseMembers"];
}

export async function readSupervision(state: SystemStateReader, databasePath: string): Promise<Supervision> {
  return supervisionOf(await readSupervisorRecord(state), supervisorRunning(databasePath));
}

/** Every supervisor of the database: SQLite's one, or PostgreSQL's one per host (by host name). */
export async function readSupervisors(store: SupervisorsReader, config: Pick<Config, "databaseUrl" | "databasePath">): Promise<Supervision[]> {
  if (!sharedByHosts(config)) return [await readSupervision(store.fleet, config.databasePath)];
  const out: Supervision[] = [];
  for (const { key, value } of await store.fleet.systemStatesByPrefix(SUPERVISOR_KEY_PREFIX)) {
    const record = parseSupervisorRecord(value);
    if (!record) continue;
    const host = key.slice(SUPERVISOR_KEY_PREFIX.length);
    const members = await store.leaseMembers(supervisorLease(host), MEMBER_WINDOW_MS);
    const holder = members.find((m) => m.role === "leader");
    out.push({ ...supervisionOf(record, holder !== undefined), host, seenAt: (holder ?? members[0])?.seenAt });
  }
  return out;
}

/** The names among `ours` that another host's running supervisor already runs. */
export function namesTakenElsewhere(sups: readonly Supervision[], ourHost: string, ours: readonly string[]): Array<{ name: string; host: string; pid?: number }> {
  const wanted = new Set(ours);
  return sups.filter((s) => s.running && s.host !== undefined && s.host !== ourHost)
    .flatMap((s) => s.agents.filter((a) => wanted.has(a)).map((name) => ({ name, host: s.host!, ...(s.pid !== undefined && { pid: s.pid }) })));
}

/** The agents of every running supervisor (kept by clean-up, restarted by a bare `bg-agents restart`). */
export function supervisedAgents(sups: readonly Supervision[]): string[] {
  return sups.flatMap((s) => s.agents);
}

/** The record of the running or the last supervisor; undefined when none ever ran. */
export async function readSupervisorRecord(state: SystemStateReader, key: string = SYSTEM_KEYS.supervisor): Promise<SupervisorRecord | undefined> {
  return parseSupervisorRecord(await state.getSystemState(key));
}

export function supervisionOf(record: SupervisorRecord | undefined, running: boolean): Supervision {
  return { running, pid: record?.pid, agents: running ? [...(record?.agents ?? [])] : [], record };
}

/** Whether a supervisor runs on `databasePath` now (never on an in-memory database). */
export function supervisorRunning(databasePath: string): boolean {
  return !isMemoryPath(databasePath) && InstanceLock.isHeld(databasePath);
}

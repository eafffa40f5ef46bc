/**
 * Who serves restart requests on a database: its supervisor, while one runs (it holds
 * `<db>.supervisor.lock`), and only for the agents in its `system_state` record. Used by
 * `bg-agents restart`/`cleanup-stale` and the HTTP admin routes; creates no file.
 */
import { existsSync } from "node:fs";
import { isMemoryPath, SYSTEM_KEYS, type StateStore } from "../storage/index.js";
import { InstanceLock, supervisorLockPath } from "./instance-lock.js";
import type { SupervisorRecord } from "./leftovers.js";

export interface Supervision {
  /** A supervisor holds `<db>.supervisor.lock` right now. */
  running: boolean;
  /** The pid in the supervisor's record (of the running one, or the last one when none runs). */
  pid?: number;
  /** The agents the running supervisor runs; empty when none runs. */
  agents: string[];
}

export async function readSupervision(store: StateStore, databasePath: string): Promise<Supervision> {
  const running = !isMemoryPath(databasePath) && existsSync(supervisorLockPath(databasePath)) && InstanceLock.isHeld(databasePath);
  const record = await store.fleet.getSystemState<SupervisorRecord>(SYSTEM_KEYS.supervisor);
  return { running, pid: record?.pid, agents: running ? [...(record?.agents ?? [])] : [] };
}

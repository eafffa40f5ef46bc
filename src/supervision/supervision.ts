/**
 * Who serves restart requests on a database: its supervisor, while one runs (it holds
 * `<db>.supervisor.lock`), and only for the agents in its record. Creates no file.
 */
import { isMemoryPath, SYSTEM_KEYS } from "../storage/index.js";
import { InstanceLock } from "./instance-lock.js";
import { parseSupervisorRecord, type SupervisorRecord } from "./record.js";

export interface Supervision {
  /** A supervisor holds `<db>.supervisor.lock` right now. */
  running: boolean;
  /** The pid in the supervisor's record (of the running one, or the last one when none runs). */
  pid?: number;
  /** The agents the running supervisor runs; empty when none runs. */
  agents: string[];
  /** The record of the running or the last supervisor, if one ever ran. */
  record?: SupervisorRecord;
}

/** The one read this needs (FleetStore has it; the diagnostics adapt their raw file to it). */
export interface SystemStateReader {
  getSystemState<T = unknown>(key: string): Promise<T | undefined>;
}

export async function readSupervision(state: SystemStateReader, databasePath: string): Promise<Supervision> {
  return supervisionOf(await readSupervisorRecord(state), supervisorRunning(databasePath));
}

/** The record of the running or the last supervisor; undefined when none ever ran. */
export async function readSupervisorRecord(state: SystemStateReader): Promise<SupervisorRecord | undefined> {
  return parseSupervisorRecord(await state.getSystemState(SYSTEM_KEYS.supervisor));
}

export function supervisionOf(record: SupervisorRecord | undefined, running: boolean): Supervision {
  return { running, pid: record?.pid, agents: running ? [...(record?.agents ?? [])] : [], record };
}

/** Whether a supervisor runs on `databasePath` now (never on an in-memory database). */
export function supervisorRunning(databasePath: string): boolean {
  return !isMemoryPath(databasePath) && InstanceLock.isHeld(databasePath);
}

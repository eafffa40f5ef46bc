/**
 * The supervisor as the rest of the system sees it: its record (written by src/supervisor, read
 * by the HTTP server, the CLI and the diagnostics), whether one runs (the instance lock), and the
 * rule for restart requests. Sits below src/supervisor, so readers never import the supervisor.
 */
export { parseSupervisorRecord, monitorNameFor, type SupervisorRecord } from "./record.js";
export { readSupervision, readSupervisorRecord, supervisionOf, supervisorRunning, type Supervision, type SystemStateReader } from "./supervision.js";
export { assertRestartable } from "./restartable.js";
export { InstanceLock, supervisorLockPath } from "./instance-lock.js";
export {
  SupervisorRunningError, NoSupervisorError, AgentNotSupervisedError, isSupervisorRunningError, isNoSupervisorError,
  isAgentNotSupervisedError, type AgentWhereabouts,
} from "./errors.js";

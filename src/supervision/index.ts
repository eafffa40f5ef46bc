/**
 * The supervisor as the rest of the system sees it: its record (written by src/supervisor, read
 * by the HTTP server, the CLI and the diagnostics), whether one runs (the instance lock; on
 * PostgreSQL one per host, a lease), the per-host names, and the rule for restart requests.
 * Sits below src/supervisor, so readers never import the supervisor.
 */
export { parseSupervisorRecord, monitorNameFor, type SupervisorRecord } from "./record.js";
export {
  namesTakenElsewhere, readSupervision, readSupervisors, readSupervisorRecord, supervisedAgents, supervisionOf, supervisorRunning,
  type Supervision, type SupervisorsReader, type SystemStateReader,
} from "./supervision.js";
export { assertRestartable } from "./restartable.js";
export { InstanceLock, supervisorLockPath } from "./instance-lock.js";
export { HostLock, type HostLockOptions } from "./host-lock.js";
export { hostAgentName, sharedByHosts, supervisorKey, supervisorLease, SUPERVISOR_KEY_PREFIX, type HostWhere } from "./host.js";
export {
  SupervisorRunningError, NoSupervisorError, AgentNotSupervisedError, SupervisorGoneError, isSupervisorRunningError, isNoSupervisorError,
  isAgentNotSupervisedError, isSupervisorGoneError, AgentNameTakenError, isAgentNameTakenError, type AgentWhereabouts,
} from "./errors.js";

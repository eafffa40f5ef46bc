/** The supervisor: starts the fleet as processes and heals it. */
export { Supervisor, type SupervisorOptions } from "./supervisor.js";
export type { SupervisorRecord } from "./leftovers.js";
export { runSupervisor, type RunSupervisorOptions } from "./main.js";
export { RestartPolicy, type RestartPolicyOptions, type RestartDecision } from "./restart-policy.js";
export { assessFleet, countFleet, silentAfterMs, type GuardInput, type GuardVerdict, type FleetCounts } from "./guard.js";
export { InstanceLock, SupervisorRunningError } from "./instance-lock.js";
export { systemAgents, demoAgents, parseAgentFlag, type AgentSpec } from "./agent-specs.js";

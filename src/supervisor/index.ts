/** The supervisor: starts the fleet as processes and heals it (src/app runs it with the dashboard). */
export { Supervisor, type SupervisorOptions } from "./supervisor.js";
export { RestartPolicy, type RestartPolicyOptions, type RestartDecision } from "./restart-policy.js";
export { assessFleet, countFleet, silentAfterMs, type GuardInput, type GuardVerdict, type FleetCounts } from "./guard.js";
export { InstanceLock, SupervisorRunningError, type SupervisorRecord } from "../supervision/index.js";
export { systemAgents, demoAgents, parseAgentFlag, type AgentSpec } from "./agent-specs.js";

/** Package entry: `import { HeartbeatHealthAgent, SharedState, loadConfig } from "background-agents"`. */
export { HeartbeatHealthAgent, type HeartbeatHealthAgentOptions } from "./agents/heartbeat/agent.js";
export { runCycles, AgentFailedError, type CycleRunnerOptions } from "./agents/runtime/cycle-runner.js";
export type { AgentContext } from "./agents/context.js";
export { loadConfig, redactConfig, VARIABLES, type Config, type ConfigOverrides } from "./config/index.js";
export { systemClock, type Clock } from "./clock/index.js";
export { createLogger, closeLogger, type Logger } from "./logging/index.js";
export { FileStateLock, InProcessLock, type StateLock } from "./locking/index.js";
export * from "./errors/index.js";
export * from "./storage/index.js";
export { VERSION } from "./version.js";

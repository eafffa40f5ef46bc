/**
 * Package entry: `import { HeartbeatHealthAgent, openStore, loadConfig } from "background-agents"`.
 * The SQLite backend's internals are the `background-agents/sqlite` subpath.
 */
export { HeartbeatHealthAgent, type HeartbeatHealthAgentOptions } from "./agents/heartbeat/agent.js";
export { runCycles, AgentFailedError, type CycleRunnerOptions } from "./agents/runtime/cycle-runner.js";
export { createAgentContext, type AgentContext, type AgentContextOptions } from "./agents/context.js";
export { runAgent, AgentRunner, type RunAgentOptions, type AgentGraphModule, type GraphSource } from "./agents/runtime/run-agent.js";
export { AgentClient, type AgentClientOptions } from "./client/index.js";
export { LangSmithBridgeAgent, type LangSmithBridgeAgentOptions } from "./agents/bridge/agent.js";
export { flushTraces, tracingSettings, describeTracing, TRACE_FLUSH_TIMEOUT_MS, type TracingSettings } from "./tracing/index.js";
export { Supervisor, type SupervisorOptions, type AgentSpec } from "./supervisor/index.js";
export { runSupervisor, type RunSupervisorOptions } from "./app/index.js";
export { startServer, type StartServerOptions, type RunningServer } from "./http/index.js";
export { loadConfig, redactConfig, VARIABLES, type Config, type ConfigOverrides } from "./config/index.js";
export { systemClock, type Clock } from "./clock/index.js";
export { createLogger, closeLogger, type Logger } from "./logging/index.js";
export { FileStateLock, InProcessLock, type StateLock } from "./locking/index.js";
export * from "./errors/index.js";
export * from "./storage/index.js";
export { VERSION } from "./version.js";
export { withHeartbeat, heartbeatOf, type WithHeartbeatOptions, type GraphHeartbeat } from "./integrations/with-heartbeat.js";
export { startNotifier, channelsFromConfig, type NotifyEvent } from "./notify/index.js";

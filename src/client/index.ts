/** Heartbeats from any Node process: see AgentClient. */
export { AgentClient, type AgentClientOptions } from "./agent-client.js";

/**
 * What a user's own agent graph module imports (`background-agents/agent`): the cycle channels of
 * its state, its context, and the lifecycle steps every agent takes (docs/writing-agents.md). Only
 * these, so the agent's process loads no HTTP server, CLI or supervisor for them.
 */
export { cycleChannels, last, type CycleFields } from "./runtime/cycle-state.js";
export { contextOf, type AgentContext } from "./context.js";
export { hasCycleBudget, registerSelf, sendHeartbeat, waitForNextCycle } from "./runtime/lifecycle.js";

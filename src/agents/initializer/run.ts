/**
 * The SystemInitializer's graph, run once per `bg-agents start` before the agents are released:
 * in the first held agent process to have loaded (it has LangGraph loaded already, see
 * src/agents/runtime/start-gate.ts), or in the supervisor's own process when no held agent can.
 */
import type { HeartbeatInfo } from "../../storage/index.js";
import type { AgentContext } from "../context.js";
import type { RunnableGraph } from "../runtime/cycle-runner.js";
import { loadGraphModule, packageGraph } from "../runtime/graph-module.js";
import { invokeConfig } from "../runtime/invoke-config.js";

export const INITIALIZER_GRAPH = packageGraph("system-initializer");

/** `self`: the process the SystemInitializer's record stands for (the supervisor's); @defaultValue this process */
export async function runInitializer(ctx: AgentContext, agents: string[], self?: HeartbeatInfo): Promise<void> {
  const graph = (await loadGraphModule(INITIALIZER_GRAPH)).buildGraph() as RunnableGraph;
  await graph.invoke({ agents, maxCycles: 1, sessionId: ctx.sessionId, ...(self ? { self } : {}) }, invokeConfig({ ctx, threadId: `initializer:${ctx.sessionId}` }));
}

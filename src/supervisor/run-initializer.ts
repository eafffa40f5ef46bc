/** The SystemInitializer's graph, run once in the supervisor's process before the agents are released. */
import type { AgentContext } from "../agents/context.js";
import type { RunnableGraph } from "../agents/runtime/cycle-runner.js";
import { loadGraphModule } from "../agents/runtime/graph-module.js";
import { invokeConfig } from "../agents/runtime/invoke-config.js";
import { INITIALIZER_GRAPH } from "./agent-specs.js";

export async function runInitializer(ctx: AgentContext, agents: string[]): Promise<void> {
  const graph = (await loadGraphModule(INITIALIZER_GRAPH)).buildGraph() as RunnableGraph;
  await graph.invoke({ agents, maxCycles: 1, sessionId: ctx.sessionId }, invokeConfig({ ctx, threadId: `initializer:${ctx.sessionId}` }));
}

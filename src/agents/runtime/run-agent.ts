/**
 * Runs one agent graph in this process until its signal aborts: a fresh session (so `init`
 * registers it: initializing → active), one invocation per cycle on the fixed thread
 * `agent:<name>` (a restart resumes from the checkpoint), then `stopped` on a clean shutdown.
 * Rejects with AgentFailedError after RETRY_ATTEMPTS failed cycles (the agent is then `failed`).
 */
import { randomUUID } from "node:crypto";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { systemClock, type Clock } from "../../clock/index.js";
import type { Config } from "../../config/index.js";
import type { Logger } from "../../logging/index.js";
import type { StateStore } from "../../storage/index.js";
import { flushTraces } from "../../tracing/index.js";
import { VERSION } from "../../version.js";
import type { AgentContext } from "../context.js";
import { runCycles, type RunnableGraph } from "./cycle-runner.js";

/** What an agent graph module in graphs/ exports. */
export interface AgentGraphModule {
  buildGraph(checkpointer?: BaseCheckpointSaver): unknown;
}

export interface RunAgentOptions {
  name: string;
  graphModule: AgentGraphModule;
  config: Config;
  store: StateStore;
  logger: Logger;
  signal: AbortSignal;
  clock?: Clock;
}

export function agentThreadId(name: string): string {
  return `agent:${name}`;
}

export async function runAgent(o: RunAgentOptions): Promise<void> {
  const ctx: AgentContext = {
    agentName: o.name,
    config: o.config,
    store: o.store,
    clock: o.clock ?? systemClock,
    logger: o.logger,
    signal: o.signal,
    sessionId: randomUUID(),
    version: VERSION,
  };
  const graph = o.graphModule.buildGraph(o.store.createCheckpointer()) as RunnableGraph;
  try {
    await runCycles({ ctx, graph, threadId: agentThreadId(o.name) });
    await o.store.updateAgentState(o.name, "stopped", "shutdown requested");
    o.logger.info(`${o.name} stopped`, { module: "runtime" });
  } finally {
    await flushTraces(); // pending LangSmith traces, bounded by TRACE_FLUSH_TIMEOUT_MS
  }
}

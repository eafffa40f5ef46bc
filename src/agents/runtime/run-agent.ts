/**
 * The one agent runner. Runs an agent graph in this process until its signal aborts: a fresh
 * session (so `init` registers it: initializing → active), one invocation per cycle on the fixed
 * thread `agent:<name>` (a restart resumes from the checkpoint), then `stopped` on a clean
 * shutdown, pending traces flushed. Rejects with AgentFailedError after RETRY_ATTEMPTS failed
 * cycles (the agent is then `failed`). agent-main (a supervised process), HeartbeatHealthAgent
 * and LangSmithBridgeAgent all run their graph through it.
 */
import type { Clock } from "../../clock/index.js";
import type { Config } from "../../config/index.js";
import { createLogger, type Logger } from "../../logging/index.js";
import type { StateStore } from "../../storage/index.js";
import { flushTraces } from "../../tracing/index.js";
import { createAgentContext, type AgentContext } from "../context.js";
import { runCycles, type RunnableGraph } from "./cycle-runner.js";
import { resolveGraphModule, type GraphSource } from "./graph-module.js";

export type { AgentGraphModule, GraphSource } from "./graph-module.js";

export interface RunAgentOptions {
  name: string;
  /** The agent's graph module, or its path (e.g. the `module` of its spec). */
  graphModule: GraphSource;
  config: Config;
  store: StateStore;
  /** @defaultValue a logger named after the agent, at LOG_LEVEL, without console output */
  logger?: Logger;
  signal: AbortSignal;
  clock?: Clock;
  /** Called with the run's context before the first cycle (e.g. to hand an agent its options). */
  configure?: (ctx: AgentContext) => void;
  /** Called after each finished cycle with the graph's output. */
  onCycle?: (values: unknown) => void;
}

export function agentThreadId(name: string): string {
  return `agent:${name}`;
}

export async function runAgent(o: RunAgentOptions): Promise<void> {
  const logger = o.logger ?? createLogger({ agentName: o.name, level: o.config.logLevel, console: false });
  const ctx = createAgentContext({ agentName: o.name, config: o.config, store: o.store, clock: o.clock, logger, signal: o.signal });
  o.configure?.(ctx);
  try {
    const mod = await resolveGraphModule(o.graphModule);
    const graph = mod.buildGraph(await o.store.createCheckpointer()) as RunnableGraph;
    const sidecar = mod.sidecar?.(ctx);
    try {
      await runCycles({ ctx, graph, threadId: agentThreadId(o.name), onCycle: o.onCycle });
    } finally {
      await sidecar?.stop();
    }
    await o.store.updateAgentState(o.name, "stopped", "shutdown requested");
    logger.info(`${o.name} stopped`, { module: "runtime" });
  } finally {
    await flushTraces(); // pending LangSmith traces, bounded by TRACE_FLUSH_TIMEOUT_MS
  }
}

/** runAgent with start()/stop(): what the agent classes (HeartbeatHealthAgent, LangSmithBridgeAgent) wrap. */
export class AgentRunner {
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly opts: Omit<RunAgentOptions, "signal">) {}

  /** Runs the agent until stop(); rejects only if it fails (RETRY_ATTEMPTS cycles in a row). */
  start(): Promise<void> {
    if (this.running) return this.running;
    this.controller = new AbortController();
    this.running = runAgent({ ...this.opts, signal: this.controller.signal });
    return this.running;
  }

  /** Stops after the current step (a wait ends at once); resolves once the agent is stopped. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running?.catch(() => undefined);
  }
}

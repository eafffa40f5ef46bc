/**
 * HeartbeatHealthAgent: the seed's API around the heartbeat graph.
 * `start()` runs the monitor until `stop()`; the other methods run one step on demand.
 */
import { randomUUID } from "node:crypto";
import { buildGraph } from "../../../graphs/heartbeat-health.js";
import { systemClock, type Clock } from "../../clock/index.js";
import type { Config } from "../../config/index.js";
import { createLogger, type Logger } from "../../logging/index.js";
import type { StaleAgent, StateStore } from "../../storage/index.js";
import { flushTraces } from "../../tracing/index.js";
import { VERSION } from "../../version.js";
import type { AgentContext } from "../context.js";
import { runCycles, type RunnableGraph } from "../runtime/cycle-runner.js";
import { agentThreadId } from "../runtime/run-agent.js";
import { HEARTBEAT_AGENT, isStale } from "./nodes.js";

export interface HeartbeatHealthAgentOptions {
  config: Config;
  store: StateStore;
  clock?: Clock;
  logger?: Logger;
}

export class HeartbeatHealthAgent {
  readonly name: string;
  private readonly config: Config;
  private readonly store: StateStore;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private lastCycle = 0;

  constructor(opts: HeartbeatHealthAgentOptions) {
    this.config = opts.config;
    this.store = opts.store;
    this.clock = opts.clock ?? systemClock;
    this.name = opts.config.agentName || HEARTBEAT_AGENT;
    this.logger = opts.logger ?? createLogger({ agentName: this.name, level: opts.config.logLevel, console: false });
  }

  /** The thread the monitor's checkpoints live on: fixed, and the same under the supervisor, so a restart resumes. */
  get threadId(): string {
    return agentThreadId(this.name);
  }

  /** Cycles completed on this thread (as of the last finished cycle). */
  get cycle(): number {
    return this.lastCycle;
  }

  /** Starts the heartbeat monitoring loop; resolves after stop(), rejects if the agent fails. */
  start(): Promise<void> {
    if (this.running) return this.running;
    this.controller = new AbortController();
    const ctx: AgentContext = {
      agentName: this.name,
      config: this.config,
      store: this.store,
      clock: this.clock,
      logger: this.logger,
      signal: this.controller.signal,
      sessionId: randomUUID(),
      version: VERSION,
    };
    const graph = buildGraph(this.store.createCheckpointer()) as unknown as RunnableGraph;
    this.running = runCycles({
      ctx,
      graph,
      threadId: this.threadId,
      onCycle: (v) => (this.lastCycle = (v as { cycle: number }).cycle),
    }).then(async () => {
      await this.store.updateAgentState(this.name, "stopped", "shutdown requested");
      this.logger.info("monitor stopped", { module: "heartbeat", cycle: this.lastCycle });
    }).finally(() => flushTraces()); // pending LangSmith traces, at most TRACE_FLUSH_TIMEOUT_MS
    return this.running;
  }

  /** Stops after the current cycle (a wait ends at once) and marks the agent stopped. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running?.catch(() => undefined);
  }

  /** Checks the health of all registered agents: the live ones whose heartbeat is too old. */
  async checkAgentHealth(): Promise<{ count: number; sample: StaleAgent[] }> {
    return this.store.findStaleAgents(this.config.staleThresholdMs);
  }

  /** Marks stale agents inactive in the shared database; returns those newly marked. */
  async updateAgentStates(): Promise<StaleAgent[]> {
    return this.store.markStaleAgents(this.config.staleThresholdMs);
  }

  /** Whether a heartbeat at `lastHeartbeat` is stale now. */
  isAgentStale(lastHeartbeat: Date | number): boolean {
    const at = typeof lastHeartbeat === "number" ? lastHeartbeat : lastHeartbeat.getTime();
    return isStale(at, this.clock.now(), this.config.staleThresholdMs);
  }
}

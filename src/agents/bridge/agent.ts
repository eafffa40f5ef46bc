/**
 * LangSmithBridgeAgent: the class around the bridge graph, like HeartbeatHealthAgent.
 * `start()` runs it until `stop()` (one invocation per cycle on the thread `agent:<name>`);
 * `syncOnce()` does one read → store → summarize pass without the graph (bg-agents traces --sync).
 */
import { randomUUID } from "node:crypto";
import { buildGraph } from "../../../graphs/langsmith-bridge.js";
import { systemClock, type Clock } from "../../clock/index.js";
import type { Config } from "../../config/index.js";
import { createLogger, type Logger } from "../../logging/index.js";
import type { StateStore } from "../../storage/index.js";
import { flushTraces } from "../../tracing/index.js";
import { VERSION } from "../../version.js";
import type { AgentContext } from "../context.js";
import { runCycles, type RunnableGraph } from "../runtime/cycle-runner.js";
import { BRIDGE_AGENT, configureBridge, resolveBridge, type Bridge, type BridgeOptions } from "./options.js";
import type { BridgeStateType } from "./state.js";
import { syncOnce, type SyncResult } from "./sync.js";

export interface LangSmithBridgeAgentOptions extends BridgeOptions {
  config: Config;
  store: StateStore;
  /** @defaultValue "LangSmithBridgeAgent" */
  name?: string;
  clock?: Clock;
  logger?: Logger;
}

export class LangSmithBridgeAgent {
  readonly name: string;
  private readonly opts: LangSmithBridgeAgentOptions;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private last: BridgeStateType | undefined;
  /** For syncOnce: one run source, so the project id is looked up once per agent. */
  private bridge: Bridge | undefined;

  constructor(opts: LangSmithBridgeAgentOptions) {
    this.opts = opts;
    this.name = opts.name ?? BRIDGE_AGENT;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? createLogger({ agentName: this.name, level: opts.config.logLevel, console: false });
  }

  get threadId(): string {
    return `agent:${this.name}`;
  }

  /** The graph state after the last finished cycle (mode, failures, next retry). */
  get lastState(): BridgeStateType | undefined {
    return this.last;
  }

  /** Runs the bridge until stop(); rejects only if the agent fails (RETRY_ATTEMPTS cycles in a row). */
  start(): Promise<void> {
    if (this.running) return this.running;
    this.controller = new AbortController();
    const ctx: AgentContext = {
      agentName: this.name,
      config: this.opts.config,
      store: this.opts.store,
      clock: this.clock,
      logger: this.logger,
      signal: this.controller.signal,
      sessionId: randomUUID(),
      version: VERSION,
    };
    configureBridge(ctx, this.opts);
    const graph = buildGraph(this.opts.store.createCheckpointer()) as unknown as RunnableGraph;
    this.running = runCycles({ ctx, graph, threadId: this.threadId, onCycle: (v) => (this.last = v as BridgeStateType) })
      .then(async () => {
        await this.opts.store.updateAgentState(this.name, "stopped", "shutdown requested");
        this.logger.info("bridge stopped", { module: "bridge" });
      })
      .finally(() => flushTraces());
    return this.running;
  }

  /** Stops after the current step (a wait ends at once), marks the agent stopped, flushes traces. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.running?.catch(() => undefined);
  }

  /** One read → store → summarize pass; throws if LangSmith cannot be read (or tracing is off). */
  async syncOnce(): Promise<SyncResult> {
    this.bridge ??= resolveBridge(this.opts, this.opts.config.heartbeatIntervalMs);
    return syncOnce(this.opts.store, this.bridge, this.clock.now());
  }
}

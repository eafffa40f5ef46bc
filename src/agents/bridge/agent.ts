/**
 * LangSmithBridgeAgent: the class around the bridge graph, like HeartbeatHealthAgent.
 * `start()` runs it until `stop()` (one invocation per cycle on the thread `agent:<name>`);
 * `syncOnce()` does one read → store → summarize pass without the graph (bg-agents traces --sync).
 */
import { systemClock, type Clock } from "../../clock/index.js";
import type { Config } from "../../config/index.js";
import type { Logger } from "../../logging/index.js";
import type { StateStore } from "../../storage/index.js";
import { packageGraph, type GraphSource } from "../runtime/graph-module.js";
import { AgentRunner, agentThreadId } from "../runtime/run-agent.js";
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
  /** The graph to run. @defaultValue graphs/langsmith-bridge of this package */
  graphModule?: GraphSource;
}

export class LangSmithBridgeAgent {
  readonly name: string;
  private readonly opts: LangSmithBridgeAgentOptions;
  private readonly clock: Clock;
  private readonly runner: AgentRunner;
  private last: BridgeStateType | undefined;
  /** For syncOnce: one run source, so the project id is looked up once per agent. */
  private bridge: Bridge | undefined;

  constructor(opts: LangSmithBridgeAgentOptions) {
    this.opts = opts;
    this.name = opts.name ?? BRIDGE_AGENT;
    this.clock = opts.clock ?? systemClock;
    this.runner = new AgentRunner({
      name: this.name,
      graphModule: opts.graphModule ?? packageGraph("langsmith-bridge"),
      config: opts.config,
      store: opts.store,
      clock: this.clock,
      logger: opts.logger,
      configure: (ctx) => configureBridge(ctx, opts),
      onCycle: (v) => (this.last = v as BridgeStateType),
    });
  }

  get threadId(): string {
    return agentThreadId(this.name);
  }

  /** The graph state after the last finished cycle (mode, failures, next retry). */
  get lastState(): BridgeStateType | undefined {
    return this.last;
  }

  /** Runs the bridge until stop(); rejects only if the agent fails (RETRY_ATTEMPTS cycles in a row). */
  start(): Promise<void> {
    return this.runner.start();
  }

  /** Stops after the current step (a wait ends at once), marks the agent stopped, flushes traces. */
  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** One read → store → summarize pass; throws if LangSmith cannot be read (or tracing is off). */
  async syncOnce(): Promise<SyncResult> {
    this.bridge ??= resolveBridge(this.opts, this.opts.config.heartbeatIntervalMs);
    return syncOnce(this.opts.store, this.bridge, this.clock.now());
  }
}

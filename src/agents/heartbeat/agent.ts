/**
 * HeartbeatHealthAgent: the seed's API around the heartbeat graph.
 * `start()` runs the monitor until `stop()`; the other methods run one step on demand.
 */
import { systemClock, type Clock } from "../../clock/index.js";
import type { Config } from "../../config/index.js";
import type { Logger } from "../../logging/index.js";
import type { StaleAgent, StateStore } from "../../storage/index.js";
import { packageGraph, type GraphSource } from "../runtime/graph-module.js";
import { AgentRunner, agentThreadId } from "../runtime/run-agent.js";
import { HEARTBEAT_AGENT, isStale } from "./nodes.js";

export interface HeartbeatHealthAgentOptions {
  config: Config;
  store: StateStore;
  clock?: Clock;
  logger?: Logger;
  /** The graph to run. @defaultValue graphs/heartbeat-health of this package */
  graphModule?: GraphSource;
}

export class HeartbeatHealthAgent {
  readonly name: string;
  private readonly config: Config;
  private readonly store: StateStore;
  private readonly clock: Clock;
  private readonly runner: AgentRunner;
  private lastCycle = 0;

  constructor(opts: HeartbeatHealthAgentOptions) {
    this.config = opts.config;
    this.store = opts.store;
    this.clock = opts.clock ?? systemClock;
    this.name = opts.config.agentName || HEARTBEAT_AGENT;
    this.runner = new AgentRunner({
      name: this.name,
      graphModule: opts.graphModule ?? packageGraph("heartbeat-health"),
      config: opts.config,
      store: opts.store,
      clock: this.clock,
      logger: opts.logger,
      onCycle: (v) => (this.lastCycle = (v as { cycle: number }).cycle),
    });
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
    return this.runner.start();
  }

  /** Stops after the current cycle (a wait ends at once) and marks the agent stopped. */
  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** Checks the health of all registered agents: the live ones whose heartbeat is too old. */
  async checkAgentHealth(): Promise<{ count: number; sample: StaleAgent[] }> {
    return this.store.findStaleAgents(this.config.staleThresholdMs, undefined, { detection: this.config.detection });
  }

  /** Marks stale agents inactive in the shared database; returns those newly marked. */
  async updateAgentStates(): Promise<StaleAgent[]> {
    return this.store.markStaleAgents(this.config.staleThresholdMs, { detection: this.config.detection });
  }

  /** Whether a heartbeat at `lastHeartbeat` is stale now. */
  isAgentStale(lastHeartbeat: Date | number): boolean {
    const at = typeof lastHeartbeat === "number" ? lastHeartbeat : lastHeartbeat.getTime();
    return isStale(at, this.clock.now(), this.config.staleThresholdMs);
  }
}

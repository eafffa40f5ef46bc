/**
 * PerformanceMonitorAgent nodes: init → sample → evaluate → record → wait. `sample` heartbeats
 * (from the work loop, so a hung monitor goes stale). Each node is safe to re-run.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { SYSTEM_AGENTS } from "../../storage/index.js";
import { contextOf, type AgentContext } from "../context.js";
import { hasCycleBudget, registerSelf, sendHeartbeat, waitForNextCycle } from "../runtime/lifecycle.js";
import { alertable, evaluateSamples, rulesFrom, thresholdsFrom } from "./evaluate.js";
import { collectSample } from "./sample.js";
import type { PerfStateType, PerfUpdate } from "./state.js";

export const PERFORMANCE_AGENT = SYSTEM_AGENTS.performance;

const ctx = (config?: LangGraphRunnableConfig): Promise<AgentContext> => contextOf(config, PERFORMANCE_AGENT);

export async function initPerf(state: PerfStateType, config?: LangGraphRunnableConfig): Promise<PerfUpdate> {
  return registerSelf(await ctx(config), state, "performance monitor starting");
}

export async function samplePerf(state: PerfStateType, config?: LangGraphRunnableConfig): Promise<PerfUpdate> {
  const c = await ctx(config);
  const now = c.clock.now();
  await sendHeartbeat(c);
  const since = state.lastSampleAt || now - c.config.heartbeatIntervalMs;
  const samples = await collectSample(c.store, c.config.databasePath, now, since);
  return { cycle: state.cycle + 1, cycleStartedAt: now, samples, sampledAt: now };
}

/**
 * One warning when a threshold has been crossed for PERF_ALERT_FOR, one line when it has been back
 * to normal as long; nothing in an agent's first PERF_STARTUP_GRACE (see evaluate.ts).
 */
export async function evaluatePerf(state: PerfStateType, config?: LangGraphRunnableConfig): Promise<PerfUpdate> {
  const c = await ctx(config);
  const thresholds = thresholdsFrom(c.config);
  const startedAt = await startTimes(c, state.samples.filter((s) => alertable(s, thresholds)).map((s) => s.agent ?? ""));
  const r = evaluateSamples({
    samples: state.samples, thresholds, rules: rulesFrom(c.config), alerts: state.alerts, now: state.sampledAt,
    startedAt: (agent) => startedAt.get(agent),
  });
  const held = (ms: number) => `${Math.round(ms / 1000)}s`;
  for (const x of r.fired) {
    c.logger.warn(`threshold crossed: ${x.metric}${x.agent ? ` of ${x.agent}` : ""} = ${x.value} (limit ${x.limit}, for ${held(x.forMs)})`,
      { module: "performance", metric: x.metric, subject: x.agent, value: x.value, limit: x.limit });
  }
  for (const x of r.resolved) {
    c.logger.info(`back to normal: ${x.metric}${x.agent ? ` of ${x.agent}` : ""} = ${x.value} (limit ${x.limit}, alert lasted ${held(x.forMs)})`,
      { module: "performance", metric: x.metric, subject: x.agent, value: x.value, limit: x.limit });
  }
  return { alerts: r.alerts };
}

/** When each agent's current run began ("" = fleet-wide samples: this monitor's own start). */
async function startTimes(c: AgentContext, agents: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const name of new Set(agents)) {
    const a = await c.store.getAgent(name || c.agentName);
    if (a) out.set(name, a.startedAt);
  }
  return out;
}

/** Writes the sample and applies retention (raw for a day, then hourly roll-ups). */
export async function recordPerf(state: PerfStateType, config?: LangGraphRunnableConfig): Promise<PerfUpdate> {
  const c = await ctx(config);
  await c.store.perf.record(state.sampledAt, state.samples);
  const pruned = await c.store.perf.prune(state.sampledAt);
  if (pruned.rolledUp > 0) c.logger.debug(`rolled up ${pruned.rolledUp} samples`, { module: "performance" });
  // the sample is in the DB now: keep it out of the checkpoints that follow
  return { lastSampleAt: state.sampledAt, samples: [] };
}

export async function waitPerf(state: PerfStateType, config?: LangGraphRunnableConfig): Promise<PerfUpdate> {
  await waitForNextCycle(await ctx(config), state.cycleStartedAt);
  return {};
}

export async function routePerf(state: PerfStateType, config?: LangGraphRunnableConfig): Promise<"sample" | "__end__"> {
  return hasCycleBudget(await ctx(config), state) ? "sample" : "__end__";
}

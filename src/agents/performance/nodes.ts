/**
 * PerformanceMonitorAgent nodes: init → sample → evaluate → record → wait. `sample` heartbeats
 * (from the work loop, so a hung monitor goes stale). Each node is safe to re-run.
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { SYSTEM_AGENTS } from "../../storage/index.js";
import { contextOf, type AgentContext } from "../context.js";
import { hasCycleBudget, registerSelf, sendHeartbeat, waitForNextCycle } from "../runtime/lifecycle.js";
import { evaluateSamples, thresholdsFrom } from "./evaluate.js";
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

/** Logs one warning per threshold crossing (not one per cycle) and one line when it is back to normal. */
export async function evaluatePerf(state: PerfStateType, config?: LangGraphRunnableConfig): Promise<PerfUpdate> {
  const c = await ctx(config);
  const r = evaluateSamples(state.samples, thresholdsFrom(c.config), state.breached);
  for (const x of r.crossed) {
    c.logger.warn(`threshold crossed: ${x.metric}${x.agent ? ` of ${x.agent}` : ""} = ${x.value} (limit ${x.limit})`,
      { module: "performance", metric: x.metric, subject: x.agent, value: x.value, limit: x.limit });
  }
  for (const x of r.cleared) {
    c.logger.info(`back to normal: ${x.metric}${x.agent ? ` of ${x.agent}` : ""} = ${x.value} (limit ${x.limit})`,
      { module: "performance", metric: x.metric, subject: x.agent, value: x.value, limit: x.limit });
  }
  return { breached: r.breached };
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

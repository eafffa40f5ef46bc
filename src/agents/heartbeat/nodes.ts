/**
 * The HeartbeatHealthAgent's nodes: init → loop → check → stale? → update → log → signals → wait.
 * Each node is safe to re-run (an interrupted node re-runs on resume).
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { SYSTEM_AGENTS } from "../../storage/index.js";
import { contextOf, type AgentContext } from "../context.js";
import { hasCycleBudget, registerSelf, sendHeartbeat, waitForNextCycle } from "../runtime/lifecycle.js";
import { leaderFence } from "./leadership.js";
import { STALE_SAMPLE, type HeartbeatStateType, type HeartbeatUpdate } from "./state.js";
import { checkClock } from "./clock-guard.js";
import { watchSignals } from "./signal-watch.js";
import type { SweepOptions } from "../../storage/index.js";

export const HEARTBEAT_AGENT = SYSTEM_AGENTS.monitor;

const ctx = (config?: LangGraphRunnableConfig): Promise<AgentContext> => contextOf(config, HEARTBEAT_AGENT);

/** The seed's rule: stale when the last heartbeat is older than the threshold. */
export function isStale(lastHeartbeat: number, now: number, thresholdMs: number): boolean {
  return now - lastHeartbeat > thresholdMs;
}

/** Registers the agent on a new process run (initializing → active); starts this invocation's budget. */
export async function initAgent(state: HeartbeatStateType, config?: LangGraphRunnableConfig): Promise<HeartbeatUpdate> {
  return registerSelf(await ctx(config), state, "monitor starting");
}

/** Counts the cycle and writes the monitor's own heartbeat. */
export async function loopCycle(state: HeartbeatStateType, config?: LangGraphRunnableConfig): Promise<HeartbeatUpdate> {
  const c = await ctx(config);
  // sendHeartbeat carries the previous write's duration (issue 3's heartbeat fields)
  const heartbeatMs = await sendHeartbeat(c);
  c.logger.debug("cycle", { module: "heartbeat", cycle: state.cycle + 1, heartbeatMs });
  return { cycle: state.cycle + 1, cycleStartedAt: c.clock.now(), newlyStale: [], recovered: [] };
}

/** DETECTION and the clock-jump guard for this sweep; null = the wall clock just jumped, judge nothing. */
function sweepOptions(c: AgentContext): SweepOptions | null {
  const clock = checkClock(c);
  if (clock.hold) {
    c.logger.warn(`the monitor's clock jumped by ${(clock.jumpedByMs / 1000).toFixed(1)}s; no agent is marked stale this check`, { module: "heartbeat", jumpedByMs: clock.jumpedByMs });
    return null;
  }
  return { detection: c.config.detection, discountMs: clock.discountMs, nowMs: clock.wallMs };
}

/** Finds agents past their stale bound (DETECTION: STALE_THRESHOLD, or each agent's own), and agents back from stale. */
export async function checkAgents(state: HeartbeatStateType, config?: LangGraphRunnableConfig): Promise<HeartbeatUpdate> {
  const c = await ctx(config);
  const now = c.clock.now();
  const opts = sweepOptions(c);
  const { count, sample } = opts ? await c.store.findStaleAgents(c.config.staleThresholdMs, STALE_SAMPLE, opts) : { count: 0, sample: [] };
  const since = state.lastCheckAt || now;
  const back = await c.store.getTransitions({ since, from: "stale", to: "active", limit: 1000 });
  return { staleCount: count, staleSample: sample, recovered: [...new Set(back.map((t) => t.agent))], lastCheckAt: now };
}

export function routeAfterCheck(state: HeartbeatStateType): "update" | "log" | "signals" {
  if (state.staleCount > 0) return "update";
  return state.recovered.length > 0 ? "log" : "signals";
}

/**
 * Marks stale agents in one transaction; the UPDATE re-checks the age, so a fresh heartbeat wins.
 * Only the leader does, under its lease fence (a standby, or a leader whose lease was taken, marks nothing).
 */
export async function updateStates(_state: HeartbeatStateType, config?: LangGraphRunnableConfig): Promise<HeartbeatUpdate> {
  const c = await ctx(config);
  const fence = await leaderFence(c);
  const opts = sweepOptions(c);
  if (!fence || !opts) return { newlyStale: [] };
  return { newlyStale: await c.store.markStaleAgents(c.config.staleThresholdMs, { ...opts, fence }) };
}

/** One warning per newly stale agent; one info line per agent back from stale. */
export async function logChanges(state: HeartbeatStateType, config?: LangGraphRunnableConfig): Promise<HeartbeatUpdate> {
  const c = await ctx(config);
  const thresholdS = c.config.staleThresholdMs / 1000;
  for (const a of state.newlyStale) {
    const rule = a.rule === "phi" || a.rule === "floor" ? `rule ${a.rule}, ` : "";
    c.logger.warn(`agent ${a.name} is stale: no heartbeat for ${(a.ageMs / 1000).toFixed(1)}s (${rule}threshold ${thresholdS}s); marked inactive`,
      { module: "heartbeat", staleAgent: a.name, ageMs: a.ageMs, thresholdMs: c.config.staleThresholdMs, rule: a.rule ?? "fixed", cycle: state.cycle });
  }
  for (const name of state.recovered) {
    c.logger.info(`agent ${name} is back: heartbeat resumed after being stale`, { module: "heartbeat", recoveredAgent: name, cycle: state.cycle });
  }
  return {};
}

/**
 * Anomalies on the agents' own signals (src/agents/heartbeat/signal-watch.ts): the leader observes
 * the newest stored sample set once and logs each anomaly when it starts and when it ends.
 */
export async function watchAgentSignals(state: HeartbeatStateType, config?: LangGraphRunnableConfig): Promise<HeartbeatUpdate> {
  const c = await ctx(config);
  const fence = await leaderFence(c);
  if (!fence) return {};
  for (const e of await watchSignals({ store: c.store, fence })) {
    const fields = { module: "heartbeat", anomalyAgent: e.agent, signal: e.signal, value: e.value, baseline: e.baseline, cycle: state.cycle };
    if (e.kind === "started") c.logger.warn(`anomaly: ${e.agent}: ${e.text}`, fields);
    else c.logger.info(`anomaly over: ${e.agent}: ${e.text}`, fields);
  }
  return {};
}

/** Sleeps until CHECK_INTERVAL (default HEARTBEAT_INTERVAL) after the cycle began; wakes at once on shutdown. */
export async function waitInterval(state: HeartbeatStateType, config?: LangGraphRunnableConfig): Promise<HeartbeatUpdate> {
  const c = await ctx(config);
  await waitForNextCycle(c, state.cycleStartedAt, c.config.checkIntervalMs ?? c.config.heartbeatIntervalMs);
  return {};
}

/** Next cycle, or end this invocation: its cycle budget is spent, or shutdown was asked for. */
export async function routeAfterWait(state: HeartbeatStateType, config?: LangGraphRunnableConfig): Promise<"loop" | "__end__"> {
  return hasCycleBudget(await ctx(config), state) ? "loop" : "__end__";
}

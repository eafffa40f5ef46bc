/**
 * The LangSmithBridgeAgent's nodes: init → fetch → store → summarize → wait. A failed read never
 * fails the agent: it is recorded, the next read waits (backoff), and the agent keeps heartbeating
 * every cycle, so it stays `active` (the state reason says what is wrong).
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { backoffDelay } from "../../locking/index.js";
import type { Logger } from "../../logging/index.js";
import { RepeatedProblem } from "../../logging/repeat.js";
import { contextOf, type AgentContext } from "../context.js";
import { hasCycleBudget, registerSelf, sendHeartbeat, waitForNextCycle } from "../runtime/lifecycle.js";
import { BRIDGE_AGENT, bridgeOf } from "./options.js";
import type { BridgeStateType, BridgeUpdate } from "./state.js";
import { readNewRuns, storeRuns, summarize } from "./sync.js";

const ctx = (config?: LangGraphRunnableConfig): Promise<AgentContext> => contextOf(config, BRIDGE_AGENT);
const HOUR = 3_600_000;

/** Agents that already logged "tracing off" in this process (log once). */
const offLogged = new Set<string>();

/** One story per outage of LangSmith, per agent context (its logger): first failure, a count, the end. */
const readTrouble = new WeakMap<Logger, RepeatedProblem>();
function troubleOf(c: AgentContext): RepeatedProblem {
  let t = readTrouble.get(c.logger);
  if (!t) readTrouble.set(c.logger, (t = new RepeatedProblem(c.logger.child({ module: "bridge" }), "LangSmith read", { clock: c.clock })));
  return t;
}

/** Keeps the agent active and says why in its state reason (no transition when only the reason changes). */
async function setReason(c: AgentContext, reason: string): Promise<void> {
  const self = await c.store.getAgent(c.agentName);
  if (self && self.state === "active" && self.stateReason !== reason) await c.store.updateAgentState(c.agentName, "active", reason);
}

export async function initBridge(state: BridgeStateType, config?: LangGraphRunnableConfig): Promise<BridgeUpdate> {
  return registerSelf(await ctx(config), state, "bridge starting");
}

/** Heartbeats, then reads the runs since the cursor, unless tracing is off or a retry is not due. */
export async function fetchRuns(state: BridgeStateType, config?: LangGraphRunnableConfig): Promise<BridgeUpdate> {
  const c = await ctx(config);
  await sendHeartbeat(c);
  const now = c.clock.now();
  const base = { cycle: state.cycle + 1, cycleStartedAt: now, fetched: [], stored: 0 };
  const b = bridgeOf(c);
  const log = c.logger.child({ module: "bridge" });
  if (!b.source) {
    const reason = `tracing off: ${b.settings.offReason ?? "no run source"}; idle`;
    if (!offLogged.has(c.agentName)) {
      offLogged.add(c.agentName);
      log.info(`${reason} (set LANGSMITH_API_KEY and LANGSMITH_PROJECT to read runs from LangSmith)`);
    }
    await setReason(c, reason);
    return { ...base, mode: "off" };
  }
  if (now < state.nextFetchAt) return { ...base, mode: "backoff" };
  try {
    const read = await readNewRuns(c.store, b, now);
    troubleOf(c).recovered();
    await setReason(c, `reading LangSmith project "${b.source.project}"`);
    return { ...base, mode: "ok", fetched: read.runs, cursor: read.cursor, failures: 0, nextFetchAt: 0, lastError: "" };
  } catch (e) {
    const failures = state.failures + 1;
    const delay = Math.round(backoffDelay(failures, b.retryBaseMs, c.config.backoffFactor, b.maxBackoffMs));
    const reason = `${(e as Error)?.message ?? e}`;
    const message = `LangSmith read failed (${failures} in a row): ${reason}; next try in ${(delay / 1000).toFixed(1)}s`;
    troubleOf(c).failed(e ?? reason, { meta: { failures, delayMs: delay }, hint: `next try in ${(delay / 1000).toFixed(1)}s, backing off` });
    await c.store.recordError(c.agentName, message).catch(() => undefined);
    await setReason(c, message.slice(0, 500)).catch(() => undefined);
    return { ...base, mode: "unreachable", failures, nextFetchAt: now + delay, lastError: message };
  }
}

/** Stores the batch and the new cursor in one transaction (a run already stored is not duplicated). */
export async function storeBatch(state: BridgeStateType, config?: LangGraphRunnableConfig): Promise<BridgeUpdate> {
  if (state.mode !== "ok") return {};
  const c = await ctx(config);
  const b = bridgeOf(c);
  const saved = await storeRuns(c.store, b.source!.project, { runs: state.fetched, cursor: state.cursor });
  return { fetched: [], stored: saved.inserted + saved.updated };
}

/** Per-agent error rate and latency; prunes old summaries once an hour. */
export async function summarizeRuns(state: BridgeStateType, config?: LangGraphRunnableConfig): Promise<BridgeUpdate> {
  if (state.mode !== "ok") return {};
  const c = await ctx(config);
  const now = c.clock.now();
  const prune = now - state.lastPruneAt >= HOUR;
  const { stats, pruned } = await summarize(c.store, bridgeOf(c), now, prune);
  if (state.stored > 0 || pruned > 0) {
    c.logger.child({ module: "bridge" }).info(`stored ${state.stored} run summaries; ${stats.length} agent(s) in stats${pruned ? `; pruned ${pruned}` : ""}`,
      { stored: state.stored, pruned, agents: stats.map((s) => ({ agent: s.agent, runs: s.runs, errorRate: s.errorRate, avgLatencyMs: s.avgLatencyMs })) });
  }
  return prune ? { lastPruneAt: now } : {};
}

export async function waitBridge(state: BridgeStateType, config?: LangGraphRunnableConfig): Promise<BridgeUpdate> {
  await waitForNextCycle(await ctx(config), state.cycleStartedAt);
  return {};
}

export async function routeAfterWait(state: BridgeStateType, config?: LangGraphRunnableConfig): Promise<"fetch" | "__end__"> {
  return hasCycleBudget(await ctx(config), state) ? "fetch" : "__end__";
}

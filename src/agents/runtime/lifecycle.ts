/**
 * Node helpers every agent graph uses: register on a new process run (initializing → active),
 * heartbeat from the work loop (carrying the previous heartbeat write's duration), wait for the
 * next cycle (wakes at once on shutdown), and the cycle-budget route.
 */
import type { AgentContext } from "../context.js";
import { processHeartbeatInfo } from "../process-info.js";
import type { CycleFields } from "./cycle-state.js";
import { announceActive } from "./start-gate.js";

/** Duration of each agent's previous heartbeat write in this process, by agent name. */
const lastWriteMs = new Map<string, number>();

/** Writes the agent's heartbeat with pid, host, version, RSS, CPU, loop lag and the previous write's duration. */
export async function sendHeartbeat(c: AgentContext): Promise<number> {
  const started = performance.now();
  await c.store.updateHeartbeat(c.agentName, processHeartbeatInfo(c.version, lastWriteMs.get(c.agentName)));
  const took = +(performance.now() - started).toFixed(2);
  lastWriteMs.set(c.agentName, took);
  return took;
}

/**
 * `init` of any agent: on a new session (or when the record is not active) registers the agent
 * (→ initializing) and marks it active; always starts this invocation's cycle budget.
 */
export async function registerSelf(c: AgentContext, state: CycleFields, reason = "starting"): Promise<Partial<CycleFields>> {
  const session = state.sessionId || c.sessionId;
  const self = await c.store.getAgent(c.agentName);
  if (state.registeredSession !== session || !self || self.state !== "active") {
    await c.store.registerAgent(c.agentName, { ...processHeartbeatInfo(c.version), reason });
    await c.store.updateAgentState(c.agentName, "active", "startup complete");
    c.logger.info(`${c.agentName} active`, { module: "runtime", cycle: state.cycle, session });
    announceActive();
  }
  return { runStartCycle: state.cycle, registeredSession: session, sessionId: session };
}

/**
 * Sleeps what is left of HEARTBEAT_INTERVAL since the cycle started (never longer than one
 * interval, also when the clock went back); returns at once on shutdown.
 */
export async function waitForNextCycle(c: AgentContext, cycleStartedAt: number, interval = c.config.heartbeatIntervalMs): Promise<void> {
  const elapsed = c.clock.now() - (cycleStartedAt || c.clock.now());
  await c.clock.sleep(Math.min(interval, Math.max(0, interval - elapsed)), c.signal);
}

/** Another cycle in this invocation, unless the budget is spent or shutdown was asked for. */
export function hasCycleBudget(c: AgentContext, state: CycleFields): boolean {
  return !c.signal?.aborted && state.cycle - state.runStartCycle < state.maxCycles;
}

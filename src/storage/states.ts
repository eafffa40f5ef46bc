/**
 * The state vocabulary: every agent state, the sets the rules are written in, how states are
 * worded, and the names of the system agents. The SQL of every backend builds its `IN (…)` lists
 * from these sets, and the dashboard receives them from GET /api/settings instead of a copy.
 */

export const AGENT_STATES = ["initializing", "active", "stale", "error", "recovering", "failed", "stopped"] as const;
export type AgentState = (typeof AGENT_STATES)[number];

export function isAgentState(s: unknown): s is AgentState {
  return typeof s === "string" && (AGENT_STATES as readonly string[]).includes(s);
}

/** Running states: a missing heartbeat makes them stale (the sweep), and their uptime counts. */
export const LIVE_STATES: readonly AgentState[] = ["initializing", "active", "error", "recovering"];

/** Live but not (yet) active: an "ok" push or a successful ping moves them to active. */
export const LIVE_NOT_ACTIVE_STATES: readonly AgentState[] = LIVE_STATES.filter((s) => s !== "active");

/** Not running: a heartbeat revives them to `active`, and cleanupStale may delete them. */
export const REVIVABLE_STATES: readonly AgentState[] = ["stale", "stopped", "failed"];

/** Agents that count towards the fleet the storm guard watches: the live ones and the stale ones. */
export const COUNTED_STATES: readonly AgentState[] = [...LIVE_STATES, "stale"];

export const isLiveState = (s: AgentState): boolean => LIVE_STATES.includes(s);

/** How the dashboard and CLI word a state (the seed calls `stale` "inactive"). */
export const STATE_LABELS: Record<AgentState, string> = {
  initializing: "Initializing",
  active: "Active",
  stale: "Inactive (stale)",
  error: "Error",
  recovering: "Recovering",
  failed: "Failed",
  stopped: "Stopped",
};

/** The order of `sort: "state"`: what needs attention first. */
export const STATE_SORT_ORDER: readonly AgentState[] = ["failed", "error", "stale", "recovering", "initializing", "active", "stopped"];

/** The agents the supervisor runs itself (the fleet's own machinery, not user agents). */
export const SYSTEM_AGENTS = {
  monitor: "HeartbeatHealthAgent",
  initializer: "SystemInitializer",
  performance: "PerformanceMonitorAgent",
  bridge: "LangSmithBridgeAgent",
} as const;

/** What the dashboard is sent so it never keeps its own copy (GET /api/settings `states`). */
export function stateVocabulary() {
  return { all: AGENT_STATES, live: LIVE_STATES, revivable: REVIVABLE_STATES, labels: STATE_LABELS, sortOrder: STATE_SORT_ORDER };
}

/**
 * The storage interface the agents, HTTP server and CLI use. SQLite (src/storage/sqlite) is the
 * embedded default; another backend implements the same interface. All methods are async so a
 * networked backend fits; all timestamps are epoch milliseconds from the store's clock.
 */
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type { FleetStore } from "./fleet-types.js";
import type { PerfStore } from "./perf-types.js";
import type { AgentState } from "./states.js";
import type { TraceStore } from "./traces-types.js";
import type { NotifyStore } from "./notify-types.js";
import type { SignalStore } from "./signals-types.js";
import type { LeaderLease, LeaseFence } from "./lease-types.js";
import type { StaleRule } from "../intelligence/phi-detector.js";

export {
  AGENT_STATES, COUNTED_STATES, LIVE_NOT_ACTIVE_STATES, LIVE_STATES, REVIVABLE_STATES, STATE_LABELS, STATE_SORT_ORDER, SYSTEM_AGENTS,
  isAgentState, isLiveState, stateVocabulary, type AgentState,
} from "./states.js";

/** What a heartbeat may carry besides "I am alive". Every field optional. */
export interface HeartbeatInfo {
  pid?: number;
  host?: string;
  version?: string;
  rssBytes?: number;
  cpuPercent?: number;
  eventLoopLagMs?: number;
  /** How long the previous heartbeat write took, measured by the agent. */
  writeLatencyMs?: number;
  /** What the agent is doing (kept until a heartbeat brings a new one). */
  activity?: AgentActivity;
}

/** One heartbeat of a batch (AgentWriter.updateHeartbeats). */
export interface HeartbeatUpdate {
  name: string;
  info?: HeartbeatInfo;
}

/** What a monitored graph is doing (withHeartbeat), shown by the dashboard and status. */
export interface AgentActivity {
  status: "running" | "idle" | "stuck";
  /** The node running now (the latest one started). */
  node: string | null;
  step: number | null;
  threadId: string | null;
  /** Epoch ms: the current run's start, and the last node start or end seen. */
  runStartedAt: number | null;
  lastProgressAt: number | null;
  /** Runs in progress (a served graph may run several threads at once). */
  running: number;
  lastRun: { outcome: "success" | "error" | "interrupted"; durationMs: number; endedAt: number; error?: string } | null;
}

export interface RegisterOptions extends HeartbeatInfo {
  meta?: Record<string, unknown>;
  /** Reason recorded on the transition. @defaultValue "registered" */
  reason?: string;
}

export interface AgentRecord {
  name: string;
  state: AgentState;
  stateReason: string | null;
  stateChangedAt: number;
  registeredAt: number;
  /** When the current run of the agent began (registration or restart): uptime = now - startedAt. */
  startedAt: number;
  lastHeartbeat: number;
  pid: number | null;
  host: string | null;
  version: string | null;
  rssBytes: number | null;
  cpuPercent: number | null;
  eventLoopLagMs: number | null;
  heartbeatLatencyMs: number | null;
  errorCount: number;
  lastError: string | null;
  lastErrorAt: number | null;
  restarts: number;
  /** Heartbeats received since registration. */
  heartbeats: number;
  /** Set when a restart was asked for (API/CLI) and the supervisor has not done it yet. */
  restartRequestedAt: number | null;
  meta: Record<string, unknown> | null;
  activity: AgentActivity | null;
  /** Its heartbeat rhythm (absent from records built outside a store). */
  history?: HeartbeatHistory;
}

/** What a ping (healthchecks.io or Uptime Kuma style, see docs/ping-protocols.md) says. */
export const PING_KINDS = ["start", "success", "fail", "log"] as const;
export type PingKind = (typeof PING_KINDS)[number];

export interface PingInput {
  kind: PingKind;
  /** healthchecks.io's run id: pairs a start with its end. */
  rid?: string;
  /** The request body (at most 10,000 bytes) or Uptime Kuma's `msg`. */
  message?: string;
  /** For `/ping/<name>/<0-255>`. */
  exitStatus?: number;
}

export interface PingRecord {
  id: number;
  agent: string;
  at: number;
  kind: PingKind;
  rid: string | null;
  message: string | null;
  exitStatus: number | null;
  /** An end (success/fail) paired with its start: end - start. */
  durationMs: number | null;
}

export interface AgentError {
  id: number;
  agent: string;
  at: number;
  message: string;
}

export interface CleanupOptions {
  /** Only records whose last heartbeat is older than this. @defaultValue 0 (all) */
  olderThanMs?: number;
  /** Report what would go, delete nothing. */
  dryRun?: boolean;
  /** Never these names (e.g. the agents a running supervisor runs), whatever their state. */
  keep?: readonly string[];
}

export interface Transition {
  id: number;
  agent: string;
  from: AgentState | null;
  to: AgentState;
  at: number;
  reason: string | null;
}

export interface StaleAgent {
  name: string;
  lastHeartbeat: number;
  ageMs: number;
  /** Adaptive sweeps: which bound decided (phi, floor, cap = STALE_THRESHOLD, fixed = too little history). */
  rule?: StaleRule;
}

/** How markStaleAgents judges. */
export interface SweepOptions {
  /** "adaptive": each agent's own bound (stale_after_ms, see src/storage/detection-sql.ts), never later than the threshold. @defaultValue "fixed" */
  detection?: "fixed" | "adaptive";
  /** Taken off every age: the monitor's clock-jump correction (src/intelligence/clock-jump.ts). @defaultValue 0 */
  discountMs?: number;
  /**
   * The wall reading the caller's clock guard judged (SQLite, where ages are measured on this
   * host's clock): ages are taken at it, so a jump between the guard's check and the sweep ages
   * nobody. PostgreSQL ignores it (the server's clock). @defaultValue the store's clock now
   */
  nowMs?: number;
}

/** An agent's heartbeat rhythm as the heartbeat write keeps it (adaptive detection). */
export interface HeartbeatHistory {
  /** Gaps learned. */
  count: number;
  meanMs: number;
  varianceMs2: number;
  /** The age at which it is stale by its own rhythm (null until computed). */
  staleAfterMs: number | null;
}

export const AGENT_SORT_KEYS = ["name", "state", "lastHeartbeat", "uptime", "restarts", "errorCount", "pid", "host"] as const;
/**
 * How a list can be sorted, ascending meaning what a reader expects first: name A-Z, worst state first
 * (failed, error, stale, recovering, initializing, active, stopped), youngest heartbeat first, longest
 * uptime first (agents that are down last), fewest restarts/errors, pid/host with missing values first.
 * Ties are broken by name.
 */
export type AgentSortKey = (typeof AGENT_SORT_KEYS)[number];

export interface AgentFilter {
  states?: AgentState[];
  /** Case-insensitive substring of the agent name. */
  nameContains?: string;
}

export interface AgentQuery extends AgentFilter {
  /** @defaultValue "name" */
  sort?: AgentSortKey;
  /** @defaultValue "asc" */
  order?: "asc" | "desc";
  limit?: number;
  offset?: number;
}

/** Where the store keeps its data and how big it is (for the performance panel and /metrics). */
export interface StorageInfo {
  /** A file path, or a connection string without credentials. */
  location: string;
  /** Bytes of the main database (null when unknown). */
  dbBytes: number | null;
  /** Bytes of the write-ahead log (null when there is none). */
  walBytes: number | null;
}

export interface TransitionCounts {
  /** The newest transition id counted; pass it back to count only newer ones. */
  lastId: number;
  byTarget: Partial<Record<AgentState, number>>;
}

export interface TransitionQuery {
  agent?: string;
  since?: number;
  from?: AgentState;
  to?: AgentState;
  limit?: number;
}

export interface StoreSummary {
  total: number;
  byState: Record<AgentState, number>;
}

/** ReadModel.resourceTotals: what the live agents (not stopped or failed) last reported, summed. */
export interface ResourceTotals {
  /** Every registered agent, in any state. */
  agents: number;
  rssBytes: number;
  cpuPercent: number;
}

/*
 * The roles callers play. Each caller asks for the smallest role it needs, so a test can hand in a
 * five-line fake; a backend implements them all (StateStore) and passes test/storage/conformance.
 */

/** What an agent process writes about itself. */
export interface AgentWriter {
  /** Registers `name` (or re-registers it after a restart) in state `initializing`. */
  registerAgent(name: string, opts?: RegisterOptions): Promise<AgentRecord>;
  /** Stamps the heartbeat; registers unknown agents; a stale/stopped/failed agent goes back to active. */
  updateHeartbeat(name: string, info?: HeartbeatInfo): Promise<void>;
  /**
   * Many heartbeats (group commit), each as updateHeartbeat would write it; the same name twice
   * counts twice. A bad name throws before anything is written. PostgreSQL writes them in one
   * transaction; SQLite in transactions of at most 128 with a turn of the event loop between them
   * (its driver is synchronous), so if one fails the batch rejects though earlier chunks are stored:
   * sending it again only counts those heartbeats twice.
   * Resolves with each agent's state after its heartbeat, in batch order (a revived or new agent is `active`).
   */
  updateHeartbeats(batch: readonly HeartbeatUpdate[]): Promise<AgentState[]>;
  /** Moves an agent to `state`; records a transition when the state changes. Throws AgentNotFoundError. */
  updateAgentState(name: string, state: AgentState, reason?: string): Promise<AgentRecord>;
  /** Counts an error against the agent and keeps its text. */
  recordError(name: string, message: string): Promise<void>;
  /**
   * Keeps a ping (the newest 100 per agent). An end (success/fail) is paired with its start: the
   * newest start with the same rid that has no end yet, or without rid the agent's previous ping
   * without rid if that is a start; a paired end gets `durationMs`. Touches nothing else (no
   * heartbeat, no state). Throws AgentNotFoundError.
   */
  recordPing(name: string, ping: PingInput): Promise<PingRecord>;
  getAgent(name: string): Promise<AgentRecord | undefined>;
}

/** What the HeartbeatHealthAgent does each cycle. */
export interface MonitorStore {
  /** Agents in a live state whose heartbeat is older than `thresholdMs` (read only). */
  findStaleAgents(thresholdMs: number, limit?: number, opts?: SweepOptions): Promise<{ count: number; sample: StaleAgent[] }>;
  /**
   * Marks every live agent older than its bound stale (`thresholdMs`, or with adaptive detection
   * the agent's own bound capped by it), re-checking the age in the UPDATE. With `opts.fence`, only
   * while that lease is still held at that epoch, checked in the same statement (a paused old
   * leader that wakes marks nothing). SQLite ignores the fence: its instance lock allows one monitor.
   */
  markStaleAgents(thresholdMs: number, opts?: SweepOptions & { fence?: LeaseFence }): Promise<StaleAgent[]>;
  summary(): Promise<StoreSummary>;
}

/** What the supervisor needs besides its fleet bookkeeping (`fleet`). */
export interface RestartQueue {
  /** Asks the supervisor to restart the agent (it clears the request when done). Throws AgentNotFoundError. */
  requestRestart(name: string): Promise<void>;
  /** Names with a pending restart request, oldest first. */
  pendingRestarts(): Promise<string[]>;
  /** Counts a restart done by the supervisor and clears any pending request. */
  noteRestart(name: string): Promise<void>;
}

/**
 * Every transition, once, in order: ids only grow and are never reused (not even after a clean-up),
 * so a consumer that keeps the last id it handled (notifications, SSE, metrics) misses nothing.
 */
export interface TransitionFeed {
  /** Transitions with an id above `afterId`, oldest first, at most `limit`. @defaultValue limit 1000 */
  transitionsAfter(afterId: number, limit?: number): Promise<Transition[]>;
  /** Transitions with an id above `afterId`, counted by target state (for /metrics counters). */
  countTransitions(afterId: number): Promise<TransitionCounts>;
}

/** What the API, CLI and dashboard read. */
export interface ReadModel {
  /** Agents matching `query`, sorted by it (by name by default), a page of them with limit/offset. */
  getRegisteredAgents(query?: AgentQuery): Promise<AgentRecord[]>;
  countAgents(filter?: AgentFilter): Promise<number>;
  /**
   * Optional fast path: the same list as getRegisteredAgents(query), already rendered as the JSON
   * array of AgentView objects (src/views/agent-view.ts) at `now`. SQLite renders it in the database,
   * twice as fast for a 10k-agent list; without it the server maps records itself. `count` = the
   * number of agents in `json`.
   */
  agentViewsJson?(query: AgentQuery, now: number, opts?: { lateAfterMs?: number }): Promise<{ json: string; count: number }>;
  getAgent(name: string): Promise<AgentRecord | undefined>;
  getTransitions(query?: TransitionQuery): Promise<Transition[]>;
  summary(): Promise<StoreSummary>;
  /** One aggregate over the agents table (no row is read into memory): for the performance panel at any fleet size. */
  resourceTotals(): Promise<ResourceTotals>;
  /** Newest first. */
  getErrors(query?: { agent?: string; limit?: number }): Promise<AgentError[]>;
  /** The agent's pings, newest first. @defaultValue limit 20 */
  getPings(name: string, limit?: number): Promise<PingRecord[]>;
  /**
   * A cheap value that changes whenever an agent's record changes (heartbeat, state, error, restart,
   * registration, removal); live updates poll it instead of re-reading every agent.
   */
  changeToken(): Promise<string>;
  storageInfo(): Promise<StorageInfo>;
  /** Takes and releases the write lock; the ms it took (lock latency for the performance panel). */
  probeWriteLock(): Promise<number>;
}

/** Destructive or operator actions (CLI, token-protected API). */
export interface AdminStore {
  /** Deletes agents in stale/stopped/failed (with their transitions and errors) in one transaction. */
  cleanupStale(opts?: CleanupOptions): Promise<CleanupResult>;
  requestRestart(name: string): Promise<void>;
}

export interface CleanupResult {
  /** Names deleted (or, with dryRun, that would be). */
  removed: string[];
  /** Names that matched but were kept because of `keep`. */
  kept: string[];
}

/** LangGraph checkpoints on the same database, behind the same lock, pruned to the retention. */
export interface CheckpointStore {
  /** Loaded on first use: a process that never checkpoints (the supervisor) never loads the saver. */
  createCheckpointer(): Promise<BaseCheckpointSaver>;
}

/** Everything a backend implements; opened only by openStore(config) (src/storage/open-store.ts). */
export interface StateStore extends AgentWriter, MonitorStore, RestartQueue, TransitionFeed, ReadModel, AdminStore, CheckpointStore, LeaderLease {
  /** System state and fleet bookkeeping (SystemInitializer, supervisor). */
  readonly fleet: FleetStore;
  /** Performance samples and roll-ups (PerformanceMonitorAgent; read by the dashboard). */
  readonly perf: PerfStore;
  /** LangSmith run summaries, cursor and per-agent stats (LangSmithBridgeAgent; read by CLI/dashboard). */
  readonly traces: TraceStore;
  /** The notifier's feed checkpoint, outbox and silences (src/notify). */
  readonly notify: NotifyStore;
  /** Each agent's signal detectors, open anomalies and the anomaly feed (the monitor; read by CLI/dashboard). */
  readonly signals: SignalStore;
  close(): Promise<void>;
}

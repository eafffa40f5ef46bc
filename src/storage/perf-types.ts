/**
 * Performance data of the fleet (PerformanceMonitorAgent writes it, the dashboard reads it):
 * raw samples kept for `rawRetentionMs` (a day), then rolled up per hour and kept longer.
 * Metric names are listed in PERF_METRICS; `agent` is "" for fleet-wide metrics.
 */

export const PERF_METRICS = {
  dbProbeP50: "db.probe_p50_ms",
  dbProbeP95: "db.probe_p95_ms",
  dbFileBytes: "db.file_bytes",
  dbWalBytes: "db.wal_bytes",
  heartbeatAgeP50: "heartbeat.age_p50_ms",
  heartbeatAgeP95: "heartbeat.age_p95_ms",
  heartbeatAgeMax: "heartbeat.age_max_ms",
  agentsLive: "agents.live",
  agentsStale: "agents.stale",
  /** Errors recorded per minute by the whole fleet (every agent, not only the sampled ones). */
  agentsErrorsPerMin: "agents.errors_per_min",
  /** How many live agents got per-agent samples this cycle (at most FLEET_DETAIL_LIMIT). */
  agentsSampled: "agents.sampled",
  agentCpu: "agent.cpu_percent",
  agentRss: "agent.rss_bytes",
  agentHeartbeatLatency: "agent.heartbeat_latency_ms",
  agentLoopLag: "agent.loop_lag_ms",
  /** The agent's heartbeat rhythm: the running mean of its gaps (adaptive detection's history). */
  agentHeartbeatGap: "agent.heartbeat_gap_ms",
  agentErrorsPerMin: "agent.errors_per_min",
  agentActivation: "agent.activation_ms",
} as const;

export interface PerfSample {
  metric: string;
  /** Agent name, or "" (the default) for a fleet-wide metric. */
  agent?: string;
  value: number;
}

export interface PerfPoint {
  at: number;
  metric: string;
  agent: string;
  value: number;
}

export interface PerfRollup {
  bucketStart: number;
  metric: string;
  agent: string;
  n: number;
  min: number;
  max: number;
  avg: number;
}

export interface PerfQuery {
  metric: string;
  /** Omit for every agent (and fleet-wide rows); "" for fleet-wide only. */
  agent?: string;
  since?: number;
  /** Newest `limit` points, returned oldest first. @defaultValue 500 */
  limit?: number;
}

/**
 * Per-agent detail the monitor samples at most per cycle (readFleet's default `limit`): at 5
 * metrics an agent, 500 agents write 2,500 rows a cycle. Fleet-wide figures are never capped.
 */
export const FLEET_DETAIL_LIMIT = 500;

/** Index (0-based, into values sorted ascending) of the nearest-rank `p`th percentile of `n` values. */
export function nearestRank(n: number, p: number): number {
  return Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1));
}

/** Fleet-wide figures, computed over every agent (SQL aggregates, not the detail sample). */
export interface FleetTotals {
  /** Agents in a live state: initializing, active, error, recovering. */
  live: number;
  stale: number;
  /** Heartbeat age of the live agents, nearest-rank percentiles in ms (0 when none is live). */
  heartbeatAgeP50Ms: number;
  heartbeatAgeP95Ms: number;
  heartbeatAgeMaxMs: number;
  /** Errors recorded since `since` by any agent. */
  errors: number;
}

export interface FleetAgentDetail {
  name: string;
  state: string;
  ageMs: number;
  cpuPercent: number | null;
  rssBytes: number | null;
  heartbeatLatencyMs: number | null;
  eventLoopLagMs: number | null;
  /** The running mean of its heartbeat gaps; null before two heartbeats. */
  heartbeatGapMs: number | null;
}

/** What the monitor reads about the fleet in one sample. */
export interface FleetReading {
  totals: FleetTotals;
  /**
   * Per-agent detail of live agents only (a stale agent's figures are as old as its last
   * heartbeat), at most `limit`: first the outliers thresholds are about (up to limit/10 each
   * with the highest CPU, the highest RSS, the most errors since `since`), so they are sampled
   * every cycle; the rest are the most recently heartbeating live agents. Never the stalest.
   */
  agents: FleetAgentDetail[];
  /** Errors recorded since `since`, per agent (every agent that recorded one). */
  errorsByAgent: Record<string, number>;
  /** initializing → active durations completed since `since` (the newest `limit`). */
  activations: Array<{ agent: string; ms: number }>;
}

export interface PerfStore {
  /** Writes one sample set stamped `at` (one transaction). */
  record(at: number, samples: PerfSample[]): Promise<void>;
  /** Raw points of one metric, oldest first. */
  recent(query: PerfQuery): Promise<PerfPoint[]>;
  /** The newest sample set (every metric written at the latest `at`). */
  latest(): Promise<{ at: number; samples: PerfPoint[] } | undefined>;
  /** Hourly roll-ups of one metric (older than the raw retention), oldest first. */
  rollups(query: PerfQuery): Promise<PerfRollup[]>;
  /** Rolls raw samples older than the raw retention into hourly buckets, deletes them and old roll-ups. */
  prune(now: number): Promise<{ rolledUp: number; deletedRollups: number }>;
  /** Row counts (for tests, benchmarks and the dashboard). */
  counts(): Promise<{ samples: number; rollups: number }>;
  /** The fleet as the monitor samples it: totals over every agent, per-agent detail of at most `limit` (FLEET_DETAIL_LIMIT) live agents. */
  readFleet(now: number, since: number, limit?: number): Promise<FleetReading>;
}

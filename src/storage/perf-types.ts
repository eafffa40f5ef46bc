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
  agentCpu: "agent.cpu_percent",
  agentRss: "agent.rss_bytes",
  agentHeartbeatLatency: "agent.heartbeat_latency_ms",
  agentLoopLag: "agent.loop_lag_ms",
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

/** What the monitor reads about the fleet in one sample. */
export interface FleetReading {
  agents: Array<{
    name: string;
    state: string;
    ageMs: number;
    cpuPercent: number | null;
    rssBytes: number | null;
    heartbeatLatencyMs: number | null;
    eventLoopLagMs: number | null;
  }>;
  /** Errors recorded since `since`, per agent. */
  errorsByAgent: Record<string, number>;
  /** initializing → active durations completed since `since`. */
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
  /** The fleet as the monitor samples it (at most `limit` agents, oldest heartbeat first). */
  readFleet(now: number, since: number, limit?: number): Promise<FleetReading>;
}

/**
 * What the LangSmithBridgeAgent keeps of LangSmith in the shared database: one summary per run
 * (no duplicates: keyed by run id), the read cursor per project, and per-agent error rate and latency.
 */

export const RUN_STATUSES = ["success", "error", "pending"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface RunSummary {
  runId: string;
  traceId: string | null;
  /** The LangSmith project (LANGSMITH_PROJECT) the run was read from. */
  project: string;
  agent: string;
  /** e.g. `HeartbeatHealthAgent.cycle`. */
  name: string;
  status: RunStatus;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number | null;
  /** endedAt - startedAt; null while the run is still pending. */
  latencyMs: number | null;
  error: string | null;
  /** The run in the LangSmith UI. */
  link: string | null;
}

export interface TraceAgentStats {
  agent: string;
  /** Finished runs in the window. */
  runs: number;
  errors: number;
  /** errors / runs (0 when there are no runs). */
  errorRate: number;
  avgLatencyMs: number | null;
  p95LatencyMs: number | null;
  lastRunAt: number | null;
  /** The stats cover runs started after updatedAt - windowMs. */
  windowMs: number;
  updatedAt: number;
}

export interface TraceRunQuery {
  agent?: string;
  status?: RunStatus;
  /** Only runs started at or after (epoch ms). */
  since?: number;
  /** Newest first. @defaultValue 50 */
  limit?: number;
}

export interface SaveRunsResult {
  /** Runs not seen before. */
  inserted: number;
  /** Runs seen before whose status, end or error changed (a pending run that finished). */
  updated: number;
}

export interface TraceStore {
  /** Upserts `runs` by run id and, in the same transaction, moves the project's cursor to `cursor`. */
  saveRuns(project: string, runs: RunSummary[], cursor?: number): Promise<SaveRunsResult>;
  /** Where the next read of `project` starts (epoch ms of a run start), if it was read before. */
  getCursor(project: string): Promise<number | undefined>;
  queryRuns(query?: TraceRunQuery): Promise<RunSummary[]>;
  countRuns(agent?: string): Promise<number>;
  /** Recomputes per-agent error rate and latency over runs started in the last `windowMs`. */
  refreshStats(windowMs: number): Promise<TraceAgentStats[]>;
  /** The stats as last computed, by agent name. */
  getStats(): Promise<TraceAgentStats[]>;
  /** Deletes summaries of runs started before `before`; returns how many went. */
  pruneRuns(before: number): Promise<number>;
}

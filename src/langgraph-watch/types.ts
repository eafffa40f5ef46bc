/** What the LangGraph watcher reads from a server and what it reports. Times are ms since the epoch. */

/** A run as the server lists it (the fields the watcher uses). */
export interface ServerRun {
  runId: string;
  threadId: string;
  assistantId: string;
  /** pending, running, error, success, timeout, interrupted */
  status: string;
  createdAt: number;
  updatedAt: number;
}

/** A busy or errored thread with its recent runs and the time of its newest checkpoint. */
export interface ServerThread {
  threadId: string;
  /** idle, busy, interrupted, error */
  status: string;
  updatedAt: number;
  /** The graph the thread last ran (metadata.graph_id), when the server says. */
  graphId?: string;
  /** When its newest checkpoint was written (the state's created_at), when it has one. */
  checkpointAt?: number;
  /** The server's error text for a thread in `error`, when it gives one. */
  error?: string;
  runs: ServerRun[];
}

/** One read of the server: its busy and errored threads. */
export interface ServerSnapshot {
  threads: ServerThread[];
}

export type FindingKind =
  /** running or pending without progress for longer than the bound */
  | "stuck-run"
  /** running or pending, progressing (within the bound) */
  | "running"
  /** the newest errored run of a thread in `error` */
  | "errored-run"
  /** a thread `busy` for longer than the bound with no pending or running run */
  | "busy-thread";

export interface Finding {
  kind: FindingKind;
  threadId: string;
  runId?: string;
  assistantId?: string;
  graphId?: string;
  /** The run's status (or the thread's, for busy-thread). */
  status: string;
  createdAt: number;
  /** The newest sign of progress: run update, thread update or checkpoint. */
  lastProgressAt: number;
  /** now − lastProgressAt at classification time. */
  idleMs: number;
  error?: string;
  /** One line for people: what is wrong and what to do. */
  reason: string;
}

export interface FindingCounts {
  stuck: number;
  running: number;
  errored: number;
  busyThreads: number;
}

/** What GET /api/langgraph/runs and `bg-agents langgraph-runs` show. */
export interface LangGraphRunsReport {
  enabled: true;
  /** The server's address (without credentials). */
  url: string;
  /** Did the latest read of the server work? */
  reachable: boolean;
  /** When the latest read was tried. */
  checkedAt: number;
  /** When a read last worked (its findings are the ones shown); undefined if none has. */
  lastOkAt?: number;
  /** Why the latest read failed. */
  error?: string;
  stuckAfterMs: number;
  findings: Finding[];
  counts: FindingCounts;
}

/**
 * Migration 4: the LangSmith bridge (issue 5): run summaries keyed by LangSmith run id (so a run
 * read twice is stored once), the read cursor per project, per-agent error rate and latency.
 */
export default `
  CREATE TABLE trace_runs (
    run_id TEXT PRIMARY KEY,
    trace_id TEXT,
    project TEXT NOT NULL,
    agent TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('success','error','pending')),
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    latency_ms REAL,
    error TEXT,
    link TEXT,
    fetched_at INTEGER NOT NULL
  );
  CREATE INDEX trace_runs_agent_started ON trace_runs(agent, started_at);
  CREATE INDEX trace_runs_started ON trace_runs(started_at);

  CREATE TABLE trace_cursors (
    project TEXT PRIMARY KEY,
    cursor INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE trace_agent_stats (
    agent TEXT PRIMARY KEY,
    runs INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    error_rate REAL NOT NULL,
    avg_latency_ms REAL,
    p95_latency_ms REAL,
    last_run_at INTEGER,
    window_ms INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
`;

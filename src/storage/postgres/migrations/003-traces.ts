/** Migration 3: LangSmith run summaries by run id, the read cursor per project, per-agent stats. */
export default (s: string) => `
  CREATE TABLE ${s}.trace_runs (
    run_id text PRIMARY KEY,
    trace_id text,
    project text NOT NULL,
    agent text NOT NULL,
    name text NOT NULL,
    status text NOT NULL CHECK (status IN ('success','error','pending')),
    started_at bigint NOT NULL,
    ended_at bigint,
    latency_ms double precision,
    error text,
    link text,
    fetched_at bigint NOT NULL
  );
  CREATE INDEX trace_runs_agent_started ON ${s}.trace_runs(agent, started_at);
  CREATE INDEX trace_runs_started ON ${s}.trace_runs(started_at);

  CREATE TABLE ${s}.trace_cursors (
    project text PRIMARY KEY,
    cursor bigint NOT NULL,
    updated_at bigint NOT NULL
  );

  CREATE TABLE ${s}.trace_agent_stats (
    agent text PRIMARY KEY,
    runs integer NOT NULL,
    errors integer NOT NULL,
    error_rate double precision NOT NULL,
    avg_latency_ms double precision,
    p95_latency_ms double precision,
    last_run_at bigint,
    window_ms bigint NOT NULL,
    updated_at bigint NOT NULL
  );
`;

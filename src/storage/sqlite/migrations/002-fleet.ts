/**
 * Migration 2: the agent fleet (issue 3). Performance samples (raw, kept a day) and their hourly
 * roll-ups (kept longer), so the file stays bounded. System state (start time, version, config
 * snapshot, supervisor pid) lives in migration 1's `system_state`.
 */
export default `
  CREATE TABLE perf_samples (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    metric TEXT NOT NULL,
    -- '' for fleet-wide metrics, else the agent name
    agent TEXT NOT NULL DEFAULT '',
    value REAL NOT NULL
  );
  CREATE INDEX perf_samples_metric_agent_at ON perf_samples(metric, agent, at);
  CREATE INDEX perf_samples_at ON perf_samples(at);

  CREATE TABLE perf_rollups (
    bucket_start INTEGER NOT NULL,
    metric TEXT NOT NULL,
    agent TEXT NOT NULL DEFAULT '',
    n INTEGER NOT NULL,
    min REAL NOT NULL,
    max REAL NOT NULL,
    sum REAL NOT NULL,
    PRIMARY KEY (metric, agent, bucket_start)
  );
  CREATE INDEX perf_rollups_bucket ON perf_rollups(bucket_start);
`;

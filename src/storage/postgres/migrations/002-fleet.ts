/** Migration 2: performance samples (raw, kept a day) and their hourly roll-ups (kept longer). */
export default (s: string) => `
  CREATE TABLE ${s}.perf_samples (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at bigint NOT NULL,
    metric text NOT NULL,
    -- '' for fleet-wide metrics, else the agent name
    agent text NOT NULL DEFAULT '',
    value double precision NOT NULL
  );
  CREATE INDEX perf_samples_metric_agent_at ON ${s}.perf_samples(metric, agent, at);
  CREATE INDEX perf_samples_at ON ${s}.perf_samples(at);

  CREATE TABLE ${s}.perf_rollups (
    bucket_start bigint NOT NULL,
    metric text NOT NULL,
    agent text NOT NULL DEFAULT '',
    n bigint NOT NULL,
    min double precision NOT NULL,
    max double precision NOT NULL,
    sum double precision NOT NULL,
    PRIMARY KEY (metric, agent, bucket_start)
  );
  CREATE INDEX perf_rollups_bucket ON ${s}.perf_rollups(bucket_start);
`;

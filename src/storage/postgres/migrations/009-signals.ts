/** Migration 9: each agent's signal detectors with its open anomalies, and the feed of anomaly starts and ends. */
export default (s: string) => `
  CREATE TABLE ${s}.agent_signals (
    agent text PRIMARY KEY,
    sampled_at bigint NOT NULL,
    state json NOT NULL,
    open json NOT NULL DEFAULT '{}',
    open_count integer NOT NULL DEFAULT 0
  );
  CREATE INDEX agent_signals_open ON ${s}.agent_signals(agent) WHERE open_count > 0;

  CREATE TABLE ${s}.anomaly_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at bigint NOT NULL,
    agent text NOT NULL,
    signal text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('started','ended')),
    value float8 NOT NULL,
    baseline float8 NOT NULL,
    text text NOT NULL
  );
  CREATE INDEX anomaly_events_agent ON ${s}.anomaly_events(agent, id);
  CREATE INDEX anomaly_events_at ON ${s}.anomaly_events(at);
`;

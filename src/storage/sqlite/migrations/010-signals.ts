/** Migration: each agent's signal detectors with its open anomalies, and the feed of anomaly starts and ends. */
export default `
  CREATE TABLE agent_signals (
    agent TEXT PRIMARY KEY,
    sampled_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    open TEXT NOT NULL DEFAULT '{}',
    open_count INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX agent_signals_open ON agent_signals(agent) WHERE open_count > 0;

  CREATE TABLE anomaly_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    agent TEXT NOT NULL,
    signal TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('started','ended')),
    value REAL NOT NULL,
    baseline REAL NOT NULL,
    text TEXT NOT NULL
  );
  CREATE INDEX anomaly_events_agent ON anomaly_events(agent, id);
  CREATE INDEX anomaly_events_at ON anomaly_events(at);
`;

/**
 * Migration 5: pings in the healthchecks.io / Uptime Kuma style (issue 14): each kept with its
 * body as the agent's last message, an end paired with its start (rid) carrying the run's duration.
 */
export default `
  CREATE TABLE agent_pings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agent TEXT NOT NULL,
    at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('start','success','fail','log')),
    rid TEXT,
    message TEXT,
    exit_status INTEGER,
    duration_ms INTEGER,
    paired INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX agent_pings_agent ON agent_pings(agent, id);
`;

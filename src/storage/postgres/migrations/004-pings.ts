/** Migration 4: pings in the healthchecks.io / Uptime Kuma style, an end paired with its start (rid) carrying the run's duration. */
export default (s: string) => `
  CREATE TABLE ${s}.agent_pings (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent text NOT NULL,
    at bigint NOT NULL,
    kind text NOT NULL CHECK (kind IN ('start','success','fail','log')),
    rid text,
    message text,
    exit_status integer,
    duration_ms bigint,
    paired boolean NOT NULL DEFAULT false
  );
  CREATE INDEX agent_pings_agent ON ${s}.agent_pings(agent, id);
`;

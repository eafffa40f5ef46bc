/**
 * Migration 1: agents, transitions (recorded by triggers in the writer's transaction), errors,
 * system state, and now_ms(): the server's clock in epoch ms, which every timestamp comes from.
 * `s` is the quoted schema name.
 */
const STATES = "('initializing','active','stale','error','recovering','failed','stopped')";

export default (s: string) => `
  CREATE FUNCTION ${s}.now_ms() RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT floor(extract(epoch FROM statement_timestamp()) * 1000)::bigint $$;

  -- fillfactor leaves room on each page, so a heartbeat (no indexed column changes) stays a HOT update
  CREATE TABLE ${s}.agents (
    name text PRIMARY KEY,
    state text NOT NULL CHECK (state IN ${STATES}),
    state_reason text,
    state_changed_at bigint NOT NULL,
    registered_at bigint NOT NULL,
    started_at bigint NOT NULL,
    last_heartbeat bigint NOT NULL,
    pid integer, host text, version text,
    rss_bytes bigint, cpu_percent double precision, loop_lag_ms double precision, hb_latency_ms double precision,
    error_count integer NOT NULL DEFAULT 0,
    last_error text, last_error_at bigint,
    restarts integer NOT NULL DEFAULT 0,
    heartbeats bigint NOT NULL DEFAULT 0,
    restart_requested_at bigint,
    meta jsonb
  ) WITH (fillfactor = 80);
  -- no index on last_heartbeat: it would make every heartbeat a non-HOT update (docs/postgres.md)
  CREATE INDEX agents_state ON ${s}.agents(state);

  CREATE TABLE ${s}.agent_transitions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent text NOT NULL,
    from_state text,
    to_state text NOT NULL,
    at bigint NOT NULL,
    reason text
  );
  CREATE INDEX agent_transitions_agent_at ON ${s}.agent_transitions(agent, at);
  CREATE INDEX agent_transitions_at ON ${s}.agent_transitions(at);

  -- Transition ids must appear in commit order (a reader keeping the last id it saw misses
  -- nothing): every statement that can change a state takes this lock before any row, and holds
  -- it to commit, so ids are drawn one transaction at a time. Heartbeats of live agents do not
  -- name the state column and never take it.
  CREATE FUNCTION ${s}.serialize_transitions() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(TG_TABLE_SCHEMA || '.agent_transitions'));
    RETURN NULL;
  END $$;
  CREATE TRIGGER agents_serialize_insert BEFORE INSERT ON ${s}.agents
    FOR EACH STATEMENT EXECUTE FUNCTION ${s}.serialize_transitions();
  CREATE TRIGGER agents_serialize_update BEFORE UPDATE OF state ON ${s}.agents
    FOR EACH STATEMENT EXECUTE FUNCTION ${s}.serialize_transitions();

  CREATE FUNCTION ${s}.transition_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO ${s}.agent_transitions(agent, from_state, to_state, at, reason)
    VALUES (NEW.name, NULL, NEW.state, NEW.state_changed_at, NEW.state_reason);
    RETURN NULL;
  END $$;
  CREATE FUNCTION ${s}.transition_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO ${s}.agent_transitions(agent, from_state, to_state, at, reason)
    VALUES (NEW.name, OLD.state, NEW.state, NEW.state_changed_at, NEW.state_reason);
    RETURN NULL;
  END $$;
  CREATE TRIGGER agents_transition_on_insert AFTER INSERT ON ${s}.agents
    FOR EACH ROW EXECUTE FUNCTION ${s}.transition_on_insert();
  CREATE TRIGGER agents_transition_on_update AFTER UPDATE OF state ON ${s}.agents
    FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state) EXECUTE FUNCTION ${s}.transition_on_update();

  CREATE TABLE ${s}.agent_errors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agent text NOT NULL,
    at bigint NOT NULL,
    message text NOT NULL
  );
  CREATE INDEX agent_errors_agent_at ON ${s}.agent_errors(agent, at);
  CREATE INDEX agent_errors_at ON ${s}.agent_errors(at);

  CREATE TABLE ${s}.system_state (
    key text PRIMARY KEY,
    value jsonb NOT NULL,
    updated_at bigint NOT NULL
  );
`;


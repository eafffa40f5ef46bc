/** Migration 1: agents, transitions (kept by triggers), errors, system state, LangGraph's checkpoint tables. */
const LIVE = "('initializing','active','error','recovering')";
const STATES = "('initializing','active','stale','error','recovering','failed','stopped')";

export default `
  CREATE TABLE agents (
    name TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ${STATES}),
    state_reason TEXT,
    state_changed_at INTEGER NOT NULL,
    registered_at INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    last_heartbeat INTEGER NOT NULL,
    pid INTEGER, host TEXT, version TEXT,
    rss_bytes INTEGER, cpu_percent REAL, loop_lag_ms REAL, hb_latency_ms REAL,
    error_count INTEGER NOT NULL DEFAULT 0,
    last_error TEXT, last_error_at INTEGER,
    restarts INTEGER NOT NULL DEFAULT 0,
    -- heartbeats received since registration (lets tests and benchmarks prove none was lost)
    heartbeats INTEGER NOT NULL DEFAULT 0,
    -- set by the API/CLI; the supervisor restarts the agent and clears it
    restart_requested_at INTEGER,
    meta TEXT
  );
  -- the stale sweep reads only live agents by heartbeat age
  CREATE INDEX agents_live_heartbeat ON agents(last_heartbeat) WHERE state IN ${LIVE};
  CREATE INDEX agents_state ON agents(state);

  CREATE TABLE agent_transitions (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    at INTEGER NOT NULL,
    reason TEXT
  );
  CREATE INDEX agent_transitions_agent_at ON agent_transitions(agent, at);
  CREATE INDEX agent_transitions_at ON agent_transitions(at);

  CREATE TRIGGER agents_transition_on_insert AFTER INSERT ON agents BEGIN
    INSERT INTO agent_transitions(agent, from_state, to_state, at, reason)
    VALUES (NEW.name, NULL, NEW.state, NEW.state_changed_at, NEW.state_reason);
  END;
  CREATE TRIGGER agents_transition_on_update AFTER UPDATE OF state ON agents
  WHEN OLD.state IS NOT NEW.state BEGIN
    INSERT INTO agent_transitions(agent, from_state, to_state, at, reason)
    VALUES (NEW.name, OLD.state, NEW.state, NEW.state_changed_at, NEW.state_reason);
  END;

  CREATE TABLE agent_errors (
    id INTEGER PRIMARY KEY,
    agent TEXT NOT NULL,
    at INTEGER NOT NULL,
    message TEXT NOT NULL
  );
  CREATE INDEX agent_errors_agent_at ON agent_errors(agent, at);

  CREATE TABLE system_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE IF NOT EXISTS checkpoints (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    parent_checkpoint_id TEXT,
    type TEXT,
    checkpoint BLOB,
    metadata BLOB,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id)
  );
  CREATE TABLE IF NOT EXISTS writes (
    thread_id TEXT NOT NULL,
    checkpoint_ns TEXT NOT NULL DEFAULT '',
    checkpoint_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    channel TEXT NOT NULL,
    type TEXT,
    value BLOB,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
  );
  `;

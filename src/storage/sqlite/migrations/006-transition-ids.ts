/**
 * Migration 6: transition ids that are never reused (the transition feed, transitionsAfter). An
 * INTEGER PRIMARY KEY without AUTOINCREMENT hands out max(id) + 1, so deleting the newest rows (a
 * clean-up) let new transitions take ids a consumer had already seen. The table is rebuilt with
 * AUTOINCREMENT (SQLite cannot alter a key), keeping every row and id; sqlite_sequence starts
 * at the highest id kept. The triggers that write transitions are dropped first (a rename checks
 * every trigger's SQL) and recreated unchanged, with the indexes.
 */
export default `
  DROP TRIGGER agents_transition_on_insert;
  DROP TRIGGER agents_transition_on_update;

  CREATE TABLE agent_transitions_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    agent TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    at INTEGER NOT NULL,
    reason TEXT
  );
  INSERT INTO agent_transitions_new (id, agent, from_state, to_state, at, reason)
    SELECT id, agent, from_state, to_state, at, reason FROM agent_transitions ORDER BY id;
  DROP TABLE agent_transitions;
  ALTER TABLE agent_transitions_new RENAME TO agent_transitions;
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
`;

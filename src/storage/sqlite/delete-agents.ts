import type { Db } from "./open.js";

/** Deletes the named agents with their transitions, errors, pings and signals (call inside a write); returns those that existed. */
export function deleteAgentRows(db: Db, names: readonly string[]): string[] {
  const removed: string[] = [];
  const del = db.prepare(`DELETE FROM agents WHERE name = ?`);
  const history = db.prepare(`DELETE FROM agent_transitions WHERE agent = ?`);
  const errors = db.prepare(`DELETE FROM agent_errors WHERE agent = ?`);
  const pings = db.prepare(`DELETE FROM agent_pings WHERE agent = ?`);
  const signals = db.prepare(`DELETE FROM agent_signals WHERE agent = ?`);
  const anomalies = db.prepare(`DELETE FROM anomaly_events WHERE agent = ?`);
  for (const name of names) {
    if (del.run(name).changes > 0) removed.push(name);
    history.run(name);
    errors.run(name);
    pings.run(name);
    signals.run(name);
    anomalies.run(name);
  }
  return removed;
}

import type pg from "pg";
import type { Statements } from "./statements.js";

/** Deletes the named agents with their transitions, errors, pings and signals (inside a transaction); returns those that existed. */
export async function deleteAgentRows(c: pg.ClientBase, sql: Statements, names: readonly string[]): Promise<string[]> {
  const gone = new Set((await c.query<{ name: string }>(sql.deleteAgents, [names])).rows.map((r) => r.name));
  await c.query(sql.deleteHistory, [names]);
  await c.query(sql.deleteErrors, [names]);
  await c.query(sql.deletePings, [names]);
  await c.query(sql.deleteSignals, [names]);
  await c.query(sql.deleteAnomalies, [names]);
  return names.filter((n, i) => gone.has(n) && names.indexOf(n) === i);
}

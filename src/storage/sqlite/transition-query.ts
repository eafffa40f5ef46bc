/** The SELECT behind getTransitions: filters as given, oldest first. */
import type { TransitionQuery } from "../types.js";

export function transitionQuery(q: TransitionQuery = {}): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.agent !== undefined) (where.push("agent = @agent"), (params.agent = q.agent));
  if (q.since !== undefined) (where.push("at >= @since"), (params.since = q.since));
  if (q.from !== undefined) (where.push("from_state = @from"), (params.from = q.from));
  if (q.to !== undefined) (where.push("to_state = @to"), (params.to = q.to));
  // without stats SQLite walks every row in id order rather than the recent ones by time
  const byTime = q.since !== undefined && q.agent === undefined ? " INDEXED BY agent_transitions_at" : "";
  const filter = where.length ? ` WHERE ${where.join(" AND ")}` : "";
  return { sql: `SELECT * FROM agent_transitions${byTime}${filter} ORDER BY id LIMIT ${Math.max(1, Math.floor(q.limit ?? 1000))}`, params };
}

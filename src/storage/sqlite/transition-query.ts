/** The SELECT behind getTransitions (filters as given, oldest first), and the counts of countTransitions. */
import type { AgentState, TransitionCounts, TransitionQuery } from "../types.js";

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

/** One row of the `transitionCounts` statement: transitions into a state after the cursor. */
export interface TransitionCountRow { to_state: AgentState; n: number; last: number }

/** The counts per target state, and the last id seen (the cursor itself when there is none). */
export function transitionCounts(rows: readonly TransitionCountRow[], afterId: number): TransitionCounts {
  const byTarget: TransitionCounts["byTarget"] = {};
  let lastId = afterId;
  for (const r of rows) {
    byTarget[r.to_state] = r.n;
    lastId = Math.max(lastId, r.last);
  }
  return { lastId, byTarget };
}

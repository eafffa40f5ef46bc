/** SQL built from the state vocabulary (src/storage/states.ts), never written by hand. */
import { LIVE_STATES, REVIVABLE_STATES } from "../states.js";

const literal = (v: string): string => `'${v.replaceAll("'", "''")}'`;

/** `('a','b')`: a parenthesised list of SQL string literals. */
export const sqlList = (values: readonly string[]): string => `(${values.map(literal).join(",")})`;

export const LIVE_SQL = sqlList(LIVE_STATES);
export const REVIVABLE_SQL = sqlList(REVIVABLE_STATES);

/**
 * The same tests as `state IN (…)` / `state NOT IN (…)`, written as comparisons: SQLite builds a
 * temporary b-tree for an IN list of more than two constants at every run of a statement, ~5 µs
 * per one-row UPDATE and per partial index it keeps up to date (the heartbeat's hot path).
 * The live-agent partial indexes (migration 012) carry IS_LIVE as their WHERE, so a query that
 * walks them must say IS_LIVE word for word.
 */
export const IS_LIVE = `(${LIVE_STATES.map((s) => `state = ${literal(s)}`).join(" OR ")})`;
export const NOT_REVIVABLE = `(${REVIVABLE_STATES.map((s) => `state <> ${literal(s)}`).join(" AND ")})`;

/** SQL `IN (…)` lists built from the state vocabulary (src/storage/states.ts), never written by hand. */
import { LIVE_STATES, REVIVABLE_STATES } from "../states.js";

/** `('a','b')`: a parenthesised list of SQL string literals. */
export const sqlList = (values: readonly string[]): string => `(${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(",")})`;

export const LIVE_SQL = sqlList(LIVE_STATES);
export const REVIVABLE_SQL = sqlList(REVIVABLE_STATES);

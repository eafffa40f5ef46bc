/**
 * Migration 12: the live-agent partial indexes rebuilt with their WHERE as comparisons instead of
 * an IN list (state-sql.ts IS_LIVE): SQLite evaluates that WHERE for every heartbeat that moves an
 * entry, and an IN list of four builds a temporary b-tree each time (~5 µs per index per row).
 */
const IS_LIVE = "(state = 'initializing' OR state = 'active' OR state = 'error' OR state = 'recovering')";

export default `
  DROP INDEX agents_live_heartbeat;
  CREATE INDEX agents_live_heartbeat ON agents(last_heartbeat) WHERE ${IS_LIVE};
  DROP INDEX agents_live_deadline;
  CREATE INDEX agents_live_deadline ON agents(last_heartbeat + stale_after_ms) WHERE ${IS_LIVE};
`;

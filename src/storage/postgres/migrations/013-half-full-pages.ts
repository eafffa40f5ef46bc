/**
 * Migration 13: agents pages kept half full (fillfactor 50, was 80), rewritten now. A heartbeat is
 * a HOT update only while the row's page has room for its new version; at 80% full a burst of
 * heartbeats to agents sharing a page ran out of room, so about 6 in 10 were not HOT (each one a
 * new entry in every index, and dead rows the stale sweep must step over). Measured on 100k agents
 * after 300k heartbeats: HOT 34% → ~95%, heartbeats 7.0 → 5.0 s, table 45 → 30 MB, the sweep's
 * scan 25 → 12 ms (docs/performance.md). The rewrite holds the table for about a second per
 * 100k agents (every host's heartbeats wait); a migration that cannot have the table within 30 s
 * fails, changes nothing, and the next start tries again.
 */
export default (s: string) => `
  SET LOCAL lock_timeout = '30s';
  LOCK TABLE ${s}.agents IN ACCESS EXCLUSIVE MODE;
  ALTER TABLE ${s}.agents SET (fillfactor = 50);
  CLUSTER ${s}.agents USING agents_pkey;
`;

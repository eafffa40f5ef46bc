/** Migration: each agent's heartbeat rhythm (adaptive detection, src/storage/detection-sql.ts) and its stale bound, indexed by deadline. */
const LIVE = "('initializing','active','error','recovering')";

export default `
  ALTER TABLE agents ADD COLUMN hb_count INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE agents ADD COLUMN hb_mean_ms REAL NOT NULL DEFAULT 0;
  ALTER TABLE agents ADD COLUMN hb_var_ms2 REAL NOT NULL DEFAULT 0;
  ALTER TABLE agents ADD COLUMN stale_after_ms REAL;
  CREATE INDEX agents_live_deadline ON agents(last_heartbeat + stale_after_ms) WHERE state IN ${LIVE};
`;

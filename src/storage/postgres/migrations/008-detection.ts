/**
 * Migration 8: each agent's heartbeat rhythm (adaptive detection, src/storage/detection-sql.ts)
 * and its stale bound. No index on the deadline: it moves with every heartbeat and would end HOT
 * updates; the sweep filters the live rows as the fixed rule does.
 */
export default (s: string) => `
  ALTER TABLE ${s}.agents ADD COLUMN hb_count integer NOT NULL DEFAULT 0,
    ADD COLUMN hb_mean_ms float8 NOT NULL DEFAULT 0,
    ADD COLUMN hb_var_ms2 float8 NOT NULL DEFAULT 0,
    ADD COLUMN stale_after_ms float8;
`;

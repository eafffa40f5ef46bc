/** The SQL of SharedState, prepared once per connection. */
import type Database from "better-sqlite3";
import type { Db } from "./open.js";
import { IS_LIVE, NOT_REVIVABLE, REVIVABLE_SQL } from "./state-sql.js";
import { historySetSql, ruleSql, SQLITE_DIALECT, type DetectionParams } from "../detection-sql.js";

type StatementName =
  | "register" | "stateOf" | "heartbeatLive" | "heartbeatRevive" | "heartbeatInsert" | "setState" | "recordError" | "insertError"
  | "getAgent" | "findStale" | "countStale" | "markStale" | "markStaleAdaptive" | "findStaleAdaptive" | "countStaleAdaptive" | "summary" | "resourceTotals" | "maxRowid"
  | "requestRestart" | "noteRestart" | "restartRequests" | "staleOlderThan" | "errors"
  | "transitionCounts" | "transitionsAfter";

/**
 * The stale sweep must walk the partial index of live agents by heartbeat age: without stats
 * SQLite prefers agents_state (every live row), 20 ms instead of ~1 ms at 100k agents (npm run bench).
 */
const BY_AGE = "INDEXED BY agents_live_heartbeat";

/**
 * Adaptive: past its own bound or past the threshold. No index orders agents by their own deadline
 * (every heartbeat would move an entry in it, ~2 µs: migration 013), so this walks the whole live
 * index, whose entries carry stale_after_ms: ~6 ms at 100k agents. Its rowids are then looked up.
 */
const ADAPTIVE_DUE = `rowid IN (
      SELECT rowid FROM agents ${BY_AGE}
      WHERE ${IS_LIVE} AND (last_heartbeat + stale_after_ms < @asOf OR last_heartbeat < @asOf - @threshold))`;

/** What every heartbeat stamps: the time, the counter, and the fields it carries (unset ones kept). */
const HEARTBEAT_SET = `last_heartbeat = @now, heartbeats = heartbeats + 1,
        pid = coalesce(@pid, pid), host = coalesce(@host, host), version = coalesce(@version, version),
        rss_bytes = coalesce(@rssBytes, rss_bytes), cpu_percent = coalesce(@cpuPercent, cpu_percent),
        loop_lag_ms = coalesce(@eventLoopLagMs, loop_lag_ms), hb_latency_ms = coalesce(@writeLatencyMs, hb_latency_ms),
        activity = coalesce(@activity, activity)`;

export function prepareStatements(db: Db, detection: DetectionParams = {}): Record<StatementName, Database.Statement> {
  const rule = ruleSql("@threshold", detection);
  const liveHeartbeat = `
      UPDATE agents SET
        ${HEARTBEAT_SET},
        ${historySetSql(SQLITE_DIALECT, "@now", detection)}
      WHERE name = @name AND ${NOT_REVIVABLE}`;
  return {
    register: db.prepare(`
      INSERT INTO agents (name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat,
                          pid, host, version, rss_bytes, cpu_percent, loop_lag_ms, meta)
      VALUES (@name, 'initializing', @reason, @now, @now, @now, @now, @pid, @host, @version, @rssBytes, @cpuPercent, @eventLoopLagMs, @meta)
      ON CONFLICT(name) DO UPDATE SET
        state = 'initializing', state_reason = @reason, state_changed_at = @now,
        started_at = @now, last_heartbeat = @now,
        pid = excluded.pid, host = excluded.host, version = coalesce(excluded.version, version),
        meta = coalesce(excluded.meta, meta)`),
    // The hot path: a live agent's heartbeat leaves the state columns alone (no transition trigger).
    // A batch reads each agent's state, then stamps it: RETURNING costs ~3 µs more per row than this read.
    stateOf: db.prepare(`SELECT state FROM agents WHERE name = ?`).pluck(),
    heartbeatLive: db.prepare(liveHeartbeat),
    // A heartbeat from a stale/stopped/failed agent: it is alive again.
    heartbeatRevive: db.prepare(`
      UPDATE agents SET
        ${HEARTBEAT_SET},
        state = 'active', state_reason = 'heartbeat resumed', state_changed_at = @now
      WHERE name = @name`),
    heartbeatInsert: db.prepare(`
      INSERT INTO agents (name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat, heartbeats,
                          pid, host, version, rss_bytes, cpu_percent, loop_lag_ms, hb_latency_ms, activity)
      VALUES (@name, 'active', 'registered by first heartbeat', @now, @now, @now, @now, 1,
              @pid, @host, @version, @rssBytes, @cpuPercent, @eventLoopLagMs, @writeLatencyMs, @activity)`),
    setState: db.prepare(`
      UPDATE agents SET state = @state, state_reason = @reason,
        state_changed_at = CASE WHEN state IS @state THEN state_changed_at ELSE @now END
      WHERE name = @name`),
    recordError: db.prepare(`
      UPDATE agents SET error_count = error_count + 1, last_error = @message, last_error_at = @now WHERE name = @name`),
    insertError: db.prepare(`INSERT INTO agent_errors (agent, at, message) VALUES (@name, @now, @message)`),
    getAgent: db.prepare(`SELECT * FROM agents WHERE name = ?`),
    findStale: db.prepare(`
      SELECT name, last_heartbeat FROM agents ${BY_AGE}
      WHERE ${IS_LIVE} AND last_heartbeat < @cutoff ORDER BY last_heartbeat LIMIT @limit`),
    countStale: db.prepare(`SELECT count(*) AS n FROM agents ${BY_AGE} WHERE ${IS_LIVE} AND last_heartbeat < @cutoff`),
    markStale: db.prepare(`
      UPDATE agents ${BY_AGE} SET state = 'stale', state_changed_at = @now,
        state_reason = printf('no heartbeat for %.1fs (threshold %gs)', (@now - last_heartbeat) / 1000.0, @threshold / 1000.0)
      WHERE ${IS_LIVE} AND last_heartbeat < @cutoff
      RETURNING name, last_heartbeat`),
    findStaleAdaptive: db.prepare(`
      SELECT name, last_heartbeat, ${rule} AS rule FROM agents
      WHERE ${ADAPTIVE_DUE} ORDER BY last_heartbeat LIMIT @limit`),
    countStaleAdaptive: db.prepare(`SELECT count(*) AS n FROM agents WHERE ${ADAPTIVE_DUE}`),
    // each agent's own bound or the threshold, whichever is first
    markStaleAdaptive: db.prepare(`
      UPDATE agents SET state = 'stale', state_changed_at = @now,
        state_reason = CASE WHEN ${rule} IN ('fixed', 'cap') THEN printf('no heartbeat for %.1fs (threshold %gs)', (@asOf - last_heartbeat) / 1000.0, @threshold / 1000.0)
          ELSE printf('no heartbeat for %.1fs (rule %s: stale after %gs)', (@asOf - last_heartbeat) / 1000.0, ${rule},
            round(min(stale_after_ms, @threshold)) / 1000.0) END
      WHERE ${ADAPTIVE_DUE}
      RETURNING name, last_heartbeat, ${rule} AS rule`),
    // kept by triggers (migration 011)
    summary: db.prepare(`SELECT state, n FROM agent_state_counts WHERE n > 0`),
    // one range of rowids: shared-state.ts sums them with a turn of the event loop between
    resourceTotals: db.prepare(`
      SELECT count(*) AS agents,
        total(CASE WHEN state NOT IN ('stopped', 'failed') THEN rss_bytes END) AS rssBytes,
        total(CASE WHEN state NOT IN ('stopped', 'failed') THEN cpu_percent END) AS cpuPercent
      FROM agents WHERE rowid >= @from AND rowid < @to`),
    maxRowid: db.prepare(`SELECT coalesce(max(rowid), 0) FROM agents`).pluck(),
    requestRestart: db.prepare(`UPDATE agents SET restart_requested_at = @now WHERE name = @name`),
    noteRestart: db.prepare(`UPDATE agents SET restarts = restarts + 1, restart_requested_at = NULL WHERE name = @name`),
    restartRequests: db.prepare(`SELECT name FROM agents WHERE restart_requested_at IS NOT NULL ORDER BY restart_requested_at`),
    staleOlderThan: db.prepare(`SELECT name FROM agents WHERE state IN ${REVIVABLE_SQL} AND last_heartbeat < @cutoff ORDER BY name`),
    transitionsAfter: db.prepare(`SELECT * FROM agent_transitions WHERE id > @afterId ORDER BY id LIMIT @limit`),
    transitionCounts: db.prepare(`SELECT to_state, count(*) AS n, max(id) AS last FROM agent_transitions WHERE id > @afterId GROUP BY to_state`),
    // every agent write moves one of these (a removal moves the count)
    errors: db.prepare(`SELECT id, agent, at, message FROM agent_errors WHERE (@agent IS NULL OR agent = @agent) ORDER BY id DESC LIMIT @limit`),
  };
}

export type Statements = Record<StatementName, Database.Statement>;

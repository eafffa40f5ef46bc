/**
 * The SQL of PgStore, built once per schema. `$2` is "now" wherever a statement has one
 * (PgCore.nowParam(): null means the server's clock). Heartbeats of live agents do not name the
 * state column, so they neither fire the transition triggers nor take their lock.
 */
import { LIVE_STATES, REVIVABLE_STATES } from "../states.js";
import { historySetSql, PG_DIALECT, ruleSql, type DetectionParams } from "../detection-sql.js";

/** `('a','b')` from the state vocabulary (src/storage/states.ts), never written by hand. */
const sqlList = (values: readonly string[]): string => `(${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(",")})`;
export const LIVE = sqlList(LIVE_STATES);
export const DOWN = sqlList(REVIVABLE_STATES);

export function statements(s: string, detection: DetectionParams = {}) {
  // a scalar subquery is an initplan, computed once per statement: inline, the planner folds
  // now_ms() into every row's filter (numeric arithmetic per row: a 100k-agent sweep took 60-80 ms, not 18)
  const now = `(SELECT coalesce($2::bigint, ${s}.now_ms()))`;
  /**
   * The first heartbeat time not overdue, as a bigint: `last_heartbeat < cut_at` compares integers, no cast per row.
   * Itself a scalar subquery: the CTE that names it is inlined, and arithmetic around an initplan is
   * done again for every row (a 100k-agent sweep 19-22 → 15-16 ms idle).
   */
  const cutAt = (threshold: string, discount?: string) => `(SELECT ceil(${now} - ${threshold}::float8${discount ? ` - ${discount}::float8` : ""})::bigint)`;
  /** The time the adaptive bounds are judged at: now less the clock-jump discount ($3), once per statement. */
  const asOf = `(SELECT ${now} - $3::float8)`;
  /**
   * Live and overdue, the cheap test first: the state (a text compared with four) is read only for
   * the few rows past the time test. A seq scan of 100k rows, 35 → 27 ms idle (the order PostgreSQL
   * picks for `state IN … AND (…)` reads the state of every row).
   */
  const liveWhen = (overdue: string, alias = "") => `CASE WHEN ${overdue} THEN ${alias}state IN ${LIVE} ELSE false END`;
  const rule = ruleSql("$1::float8", detection);
  const hbSet = `last_heartbeat = ${now}, heartbeats = heartbeats + 1,
    pid = coalesce($3::integer, pid), host = coalesce($4::text, host), version = coalesce($5::text, version),
    rss_bytes = coalesce($6::bigint, rss_bytes), cpu_percent = coalesce($7::float8, cpu_percent),
    loop_lag_ms = coalesce($8::float8, loop_lag_ms), hb_latency_ms = coalesce($9::float8, hb_latency_ms),
    activity = coalesce($10::json, activity)`;
  return {
    heartbeat: `UPDATE ${s}.agents SET ${hbSet},
        ${historySetSql(PG_DIALECT, now, detection)}
      WHERE name = $1 AND state NOT IN ${DOWN} RETURNING state`,
    // a batch of live agents' heartbeats in one statement; `n` counts a name sent more than once
    // (its rhythm learns one gap: the right-hand sides all read the row as it was)
    heartbeatBatch: `UPDATE ${s}.agents a SET last_heartbeat = ${now}, heartbeats = a.heartbeats + u.n,
        pid = coalesce(u.pid, a.pid), host = coalesce(u.host, a.host), version = coalesce(u.version, a.version),
        rss_bytes = coalesce(u.rss, a.rss_bytes), cpu_percent = coalesce(u.cpu, a.cpu_percent),
        loop_lag_ms = coalesce(u.lag, a.loop_lag_ms), hb_latency_ms = coalesce(u.latency, a.hb_latency_ms),
        activity = coalesce(u.activity, a.activity),
        ${historySetSql(PG_DIALECT, now, detection)}
      FROM unnest($1::text[], $3::integer[], $4::text[], $5::text[], $6::bigint[], $7::float8[], $8::float8[], $9::float8[], $10::json[], $11::integer[])
        AS u(name, pid, host, version, rss, cpu, lag, latency, activity, n)
      WHERE a.name = u.name AND a.state NOT IN ${DOWN}
      RETURNING a.name, a.state`,
    // the same batch for the names heartbeatBatch did not find live: down ones revived, unknown ones registered
    heartbeatBatchRevive: `UPDATE ${s}.agents a SET last_heartbeat = ${now}, heartbeats = a.heartbeats + u.n,
        pid = coalesce(u.pid, a.pid), host = coalesce(u.host, a.host), version = coalesce(u.version, a.version),
        rss_bytes = coalesce(u.rss, a.rss_bytes), cpu_percent = coalesce(u.cpu, a.cpu_percent),
        loop_lag_ms = coalesce(u.lag, a.loop_lag_ms), hb_latency_ms = coalesce(u.latency, a.hb_latency_ms),
        activity = coalesce(u.activity, a.activity),
        state = 'active', state_reason = 'heartbeat resumed', state_changed_at = ${now}
      FROM unnest($1::text[], $3::integer[], $4::text[], $5::text[], $6::bigint[], $7::float8[], $8::float8[], $9::float8[], $10::json[], $11::integer[])
        AS u(name, pid, host, version, rss, cpu, lag, latency, activity, n)
      WHERE a.name = u.name AND a.state IN ${DOWN}
      RETURNING a.name`,
    heartbeatBatchInsert: `INSERT INTO ${s}.agents (name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat, heartbeats,
        pid, host, version, rss_bytes, cpu_percent, loop_lag_ms, hb_latency_ms, activity)
      SELECT u.name, 'active', 'registered by first heartbeat', n.t, n.t, n.t, n.t, u.n, u.pid, u.host, u.version, u.rss, u.cpu, u.lag, u.latency, u.activity
      FROM unnest($1::text[], $3::integer[], $4::text[], $5::text[], $6::bigint[], $7::float8[], $8::float8[], $9::float8[], $10::json[], $11::integer[])
        AS u(name, pid, host, version, rss, cpu, lag, latency, activity, n), (SELECT ${now} AS t) n
      ON CONFLICT (name) DO NOTHING
      RETURNING name`,
    heartbeatRevive: `UPDATE ${s}.agents SET ${hbSet},
      state = 'active', state_reason = 'heartbeat resumed', state_changed_at = ${now}
      WHERE name = $1`,
    heartbeatInsert: `INSERT INTO ${s}.agents (name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat, heartbeats,
        pid, host, version, rss_bytes, cpu_percent, loop_lag_ms, hb_latency_ms, activity)
      SELECT $1, 'active', 'registered by first heartbeat', t, t, t, t, 1, $3::integer, $4::text, $5::text, $6::bigint, $7::float8, $8::float8, $9::float8, $10::json
      FROM (SELECT ${now} AS t) n
      ON CONFLICT (name) DO NOTHING`,
    register: `INSERT INTO ${s}.agents (name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat,
        pid, host, version, rss_bytes, cpu_percent, loop_lag_ms, meta)
      SELECT $1, 'initializing', $9::text, t, t, t, t, $3::integer, $4::text, $5::text, $6::bigint, $7::float8, $8::float8, $10::json
      FROM (SELECT ${now} AS t) n
      ON CONFLICT (name) DO UPDATE SET
        state = 'initializing', state_reason = excluded.state_reason, state_changed_at = excluded.state_changed_at,
        started_at = excluded.started_at, last_heartbeat = excluded.last_heartbeat,
        pid = excluded.pid, host = excluded.host, version = coalesce(excluded.version, agents.version),
        meta = coalesce(excluded.meta, agents.meta)
      RETURNING *`,
    setState: `UPDATE ${s}.agents SET state = $3, state_reason = $4,
        state_changed_at = CASE WHEN state = $3 THEN state_changed_at ELSE ${now} END
      WHERE name = $1 RETURNING *`,
    recordError: `WITH t AS (SELECT ${now} AS now),
      u AS (UPDATE ${s}.agents SET error_count = error_count + 1, last_error = $3, last_error_at = (SELECT now FROM t) WHERE name = $1 RETURNING name)
      INSERT INTO ${s}.agent_errors (agent, at, message) SELECT name, (SELECT now FROM t), $3 FROM u RETURNING id`,
    getAgent: `SELECT * FROM ${s}.agents WHERE name = $1`,
    findStale: `WITH t AS (SELECT ${now} AS now, ${cutAt("$3", "$4")} AS cut_at)
      SELECT name, last_heartbeat, t.now - last_heartbeat AS age FROM ${s}.agents, t
      WHERE ${liveWhen("last_heartbeat < t.cut_at")} ORDER BY last_heartbeat, name COLLATE "C" LIMIT $1`,
    countStale: `WITH t AS (SELECT ${cutAt("$1", "$3")} AS cut_at)
      SELECT count(*) AS n FROM ${s}.agents, t WHERE ${liveWhen("last_heartbeat < t.cut_at")}`,
    // one UPDATE: a heartbeat that lands while the sweep runs makes the row fail the re-checked WHERE
    markStale: `WITH t AS (SELECT ${now} AS now, ${cutAt("$1", "$3")} AS cut_at)
      UPDATE ${s}.agents a SET state = 'stale', state_changed_at = t.now,
        state_reason = format('no heartbeat for %ss (threshold %ss)', round((t.now - a.last_heartbeat) / 1000.0, 1), trim_scale(round($1::numeric / 1000, 3)))
      FROM t WHERE ${liveWhen("a.last_heartbeat < t.cut_at", "a.")}
      RETURNING a.name, a.last_heartbeat, t.now - a.last_heartbeat AS age`,
    findStaleAdaptive: `WITH t AS (SELECT ${now} AS now, ${asOf} AS as_of, ${cutAt("$4", "$3")} AS cut_at)
      SELECT name, last_heartbeat, t.now - last_heartbeat AS age, ${ruleSql("$4::float8", detection)} AS rule FROM ${s}.agents, t
      WHERE ${liveWhen("last_heartbeat < t.cut_at OR last_heartbeat + stale_after_ms < t.as_of")}
      ORDER BY last_heartbeat, name COLLATE "C" LIMIT $1`,
    countStaleAdaptive: `WITH t AS (SELECT ${asOf} AS as_of, ${cutAt("$1", "$3")} AS cut_at)
      SELECT count(*) AS n FROM ${s}.agents, t
      WHERE ${liveWhen("last_heartbeat < t.cut_at OR last_heartbeat + stale_after_ms < t.as_of")}`,
    // adaptive: each agent's own bound or the threshold, whichever is first ($3: clock-jump discount)
    markStaleAdaptive: `WITH t AS (SELECT ${now} AS now, ${asOf} AS as_of, ${cutAt("$1", "$3")} AS cut_at)
      UPDATE ${s}.agents a SET state = 'stale', state_changed_at = t.now,
        state_reason = CASE WHEN ${rule} IN ('fixed', 'cap') THEN format('no heartbeat for %ss (threshold %ss)', round(((t.as_of - a.last_heartbeat) / 1000.0)::numeric, 1), trim_scale(round($1::numeric / 1000, 3)))
          ELSE format('no heartbeat for %ss (rule %s: stale after %ss)', round(((t.as_of - a.last_heartbeat) / 1000.0)::numeric, 1), ${rule},
            trim_scale(round(least(stale_after_ms, $1::float8)::numeric / 1000, 3))) END
      FROM t WHERE ${liveWhen("a.last_heartbeat < t.cut_at OR a.last_heartbeat + a.stale_after_ms < t.as_of", "a.")}
      RETURNING a.name, a.last_heartbeat, t.now - a.last_heartbeat AS age, ${rule} AS rule`,
    // folded counts plus the deltas appended since (migration 011)
    summary: `SELECT state, sum(n)::float8 AS n FROM (
        SELECT state, n FROM ${s}.agent_state_counts UNION ALL SELECT state, d FROM ${s}.agent_state_deltas) x
      GROUP BY state HAVING sum(n) > 0`,
    // committed deltas only (a writer's uncommitted ones are not seen, so not deleted): one UPDATE per state
    foldStateDeltas: `WITH moved AS (DELETE FROM ${s}.agent_state_deltas RETURNING state, d),
        sums AS (SELECT state, sum(d) AS d FROM moved GROUP BY state)
      UPDATE ${s}.agent_state_counts c SET n = c.n + sums.d FROM sums WHERE c.state = sums.state`,
    resourceTotals: `SELECT count(*)::float8 AS "agents",
        coalesce(sum(rss_bytes) FILTER (WHERE state NOT IN ('stopped', 'failed')), 0)::float8 AS "rssBytes",
        coalesce(sum(cpu_percent) FILTER (WHERE state NOT IN ('stopped', 'failed')), 0)::float8 AS "cpuPercent"
      FROM ${s}.agents`,
    requestRestart: `UPDATE ${s}.agents SET restart_requested_at = ${now} WHERE name = $1`,
    noteRestart: `UPDATE ${s}.agents SET restarts = restarts + 1, restart_requested_at = NULL WHERE name = $1`,
    restartRequests: `SELECT name FROM ${s}.agents WHERE restart_requested_at IS NOT NULL ORDER BY restart_requested_at, name COLLATE "C"`,
    staleOlderThan: `SELECT name FROM ${s}.agents WHERE state IN ${DOWN} AND last_heartbeat < (SELECT ${now} - $1::float8) ORDER BY name COLLATE "C" FOR UPDATE`,
    transitionsAfter: `SELECT * FROM ${s}.agent_transitions WHERE id > $1::float8 ORDER BY id LIMIT $2`,
    transitionCounts: `SELECT to_state, count(*) AS n, max(id) AS last FROM ${s}.agent_transitions WHERE id > $1::float8 GROUP BY to_state`,
    // every agent write moves one of these (a removal moves the count)
    changeToken: `SELECT concat_ws(':', count(*), max(last_heartbeat), max(state_changed_at), sum(error_count), sum(restarts),
      count(restart_requested_at), sum(heartbeats)) AS token FROM ${s}.agents`,
    errors: `SELECT id, agent, at, message FROM ${s}.agent_errors WHERE ($1::text IS NULL OR agent = $1) ORDER BY id DESC LIMIT $2`,
    deleteAgents: `DELETE FROM ${s}.agents WHERE name = ANY($1::text[]) RETURNING name`,
    deleteHistory: `DELETE FROM ${s}.agent_transitions WHERE agent = ANY($1::text[])`,
    deleteErrors: `DELETE FROM ${s}.agent_errors WHERE agent = ANY($1::text[])`,
    deletePings: `DELETE FROM ${s}.agent_pings WHERE agent = ANY($1::text[])`,
    deleteSignals: `DELETE FROM ${s}.agent_signals WHERE agent = ANY($1::text[])`,
    deleteAnomalies: `DELETE FROM ${s}.anomaly_events WHERE agent = ANY($1::text[])`,
  };
}

export type Statements = ReturnType<typeof statements>;

/**
 * PgStore: the PostgreSQL implementation of StateStore (DATABASE_URL). Every timestamp comes from
 * the server's clock (now_ms() in SQL), so hosts with skewed clocks are judged alike. Transitions
 * are written by triggers in the same transaction as the state change. No client-side lock: each
 * write is one statement or one transaction, and row locks order concurrent writers.
 */
import type pg from "pg";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import type { Clock } from "../../clock/index.js";
import { AgentNotFoundError, ValidationError } from "../../errors/index.js";
import { withRetry } from "../../locking/index.js";
import { assertAgentName } from "../agent-name.js";
import {
  AGENT_STATES, isAgentState, type AgentError, type AgentFilter, type AgentQuery, type AgentRecord, type AgentState,
  type CleanupOptions, type CleanupResult, type HeartbeatInfo, type HeartbeatUpdate, type PingInput, type PingRecord, type RegisterOptions, type StaleAgent, type StateStore, type SweepOptions,
  type ResourceTotals, type StorageInfo, type StoreSummary, type Transition, type TransitionCounts, type TransitionQuery,
} from "../types.js";
import { agentListSql, agentWhere } from "./agent-list.js";
import { asPgDatabaseError, createClient, createPool, isConnectionLost, redactUrl } from "./connection.js";
import { PgCore, type OutageLog } from "./core.js";
import { PgFleetStore } from "./fleet.js";
import { ident, migrate } from "./migrations.js";
import { PgPerfStore } from "./perf.js";
import { PgPings } from "./pings.js";
import { PgNotifyStore } from "./notify.js";
import { PgSignalStore } from "./signals.js";
import { PgLeases, underFence } from "./leases.js";
import type { LeaseCandidate, LeaseFence, LeaseMember } from "../lease-types.js";
import { RetainingPostgresSaver } from "./saver.js";
import { batchParams, heartbeatValues, mergeHeartbeats, pgText, toAgentRecord, toTransition, type AgentRow, type TransitionRow } from "./rows.js";
import { statements, type Statements } from "./statements.js";
import type { DetectionParams } from "../detection-sql.js";
import type { StaleRule } from "../../intelligence/index.js";
import { deleteAgentRows } from "./delete-agents.js";
import { StateCounts } from "./state-counts.js";
import { PgTraceStore } from "./traces.js";

export interface PgStoreOptions {
  /** postgres:// or postgresql:// (libpq parameters such as sslmode are honoured by pg). */
  url: string;
  /** Schema of our tables. @defaultValue "bg_agents" */
  schema?: string;
  /** Schema of LangGraph's checkpoint tables. @defaultValue `<schema>_checkpoints` */
  checkpointSchema?: string;
  /** Connections this process may open. @defaultValue 3 */
  poolSize?: number;
  /** @defaultValue 3 */
  retryAttempts?: number;
  /** @defaultValue 1.5 */
  backoffFactor?: number;
  /** How long an operation waits for a lost server before failing (openStore: max(60 s, 2 x STALE_THRESHOLD)). @defaultValue 120 s */
  reconnectWindowMs?: number;
  /** Checkpoints kept per thread by createCheckpointer(). @defaultValue 20 */
  checkpointRetention?: number;
  /** Where the outage lines go. @defaultValue one line on stderr */
  log?: OutageLog;
  /** Tests only: time from this clock instead of the server's (see PgCore). */
  testClock?: Clock;
  applicationName?: string;
  /** How heartbeats compute each agent's stale bound (PHI_THRESHOLD, STALE_THRESHOLD). */
  detection?: DetectionParams;
}

function assertCursor(afterId: unknown): asserts afterId is number {
  if (typeof afterId !== "number" || Number.isNaN(afterId)) throw new ValidationError(`A transition cursor must be a number (0 for the start), got ${String(afterId)}`);
}

const stderrLog: OutageLog = (level, message) => process.stderr.write(`bg-agents: ${level === "warn" ? "warning: " : ""}${message}\n`);

export class PgStore implements StateStore {
  private readonly sql: Statements;
  private readonly stateCounts: StateCounts;
  private closed = false;
  readonly fleet: PgFleetStore;
  readonly perf: PgPerfStore;
  readonly traces: PgTraceStore;
  private readonly pings: PgPings;
  readonly notify: PgNotifyStore;
  readonly signals: PgSignalStore;
  private readonly leases: PgLeases;

  private constructor(readonly core: PgCore, private readonly opts: PgStoreOptions & { schema: string; checkpointSchema: string }) {
    this.sql = statements(core.s, opts.detection);
    this.stateCounts = new StateCounts(core, this.sql);
    this.fleet = new PgFleetStore(core);
    this.perf = new PgPerfStore(core);
    this.traces = new PgTraceStore(core);
    this.pings = new PgPings(core);
    this.notify = new PgNotifyStore(core);
    this.signals = new PgSignalStore(core);
    this.leases = new PgLeases(core);
  }

  /** Connects, migrates our schema and sets up the checkpoint schema; a DatabaseError says what to check. */
  static async open(o: PgStoreOptions): Promise<PgStore> {
    const schema = o.schema ?? "bg_agents";
    const opts = { ...o, schema, checkpointSchema: o.checkpointSchema ?? `${schema}_checkpoints` };
    const where = redactUrl(o.url);
    const log = o.log ?? stderrLog;
    const pool = createPool({ url: o.url, max: o.poolSize, applicationName: o.applicationName, onIdleError: () => undefined });
    const core = new PgCore({
      pool, schema: ident(schema), where, log, testClock: o.testClock,
      retryAttempts: o.retryAttempts ?? 3, backoffFactor: o.backoffFactor ?? 1.5, reconnectWindowMs: o.reconnectWindowMs ?? 120_000,
    });
    try {
      // at start-up a server that is not there is a configuration problem: a few quick tries, then exit 2
      const client = await withRetry(async () => {
        const c = createClient(o.url, o.applicationName);
        try {
          await c.connect();
          return c;
        } catch (e) {
          await c.end().catch(() => undefined);
          throw e;
        }
      }, { attempts: o.retryAttempts ?? 3, backoffFactor: o.backoffFactor ?? 1.5, baseDelayMs: 200, isRetryable: isConnectionLost });
      try {
        await migrate(client, schema, where);
        const store = new PgStore(core, opts);
        // PostgresSaver.setup() is not safe against a concurrent setup: one process at a time
        await client.query(`SELECT pg_advisory_lock(hashtext('background-agents checkpoint setup'))`);
        await store.saver().setup();
        return store;
      } finally {
        // ending the session releases its advisory lock
        await client.end().catch(() => undefined);
      }
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw asPgDatabaseError(e, o.url);
    }
  }

  private saver(): RetainingPostgresSaver {
    return new RetainingPostgresSaver(this.core, { schema: this.opts.checkpointSchema, retention: this.opts.checkpointRetention ?? 20 });
  }

  private async one(text: string, values: unknown[], name?: string): Promise<pg.QueryResult<AgentRow>> {
    return this.core.query<AgentRow>({ text, values, name });
  }

  async registerAgent(name: string, opts: RegisterOptions = {}): Promise<AgentRecord> {
    assertAgentName(name);
    const hb = heartbeatValues(opts).slice(0, 6);
    const r = await this.one(this.sql.register, [name, this.core.nowParam(), ...hb, pgText(opts.reason ?? "registered"), opts.meta ? JSON.stringify(opts.meta) : null]);
    return toAgentRecord(r.rows[0]!);
  }

  async updateHeartbeat(name: string, info?: HeartbeatInfo): Promise<void> {
    assertAgentName(name);
    const values = [name, this.core.nowParam(), ...heartbeatValues(info)];
    // the hot path is one UPDATE (HOT, no trigger); a down or unknown agent takes a second statement
    for (let i = 0; i < 3; i++) {
      if ((await this.one(this.sql.heartbeat, values, "bga_heartbeat")).rowCount) return;
      if ((await this.one(this.sql.heartbeatRevive, values)).rowCount) return;
      if ((await this.one(this.sql.heartbeatInsert, values)).rowCount) return;
      // registered by someone else between the two statements: go round again
    }
  }

  async updateHeartbeats(batch: readonly HeartbeatUpdate[]): Promise<AgentState[]> {
    for (const b of batch) assertAgentName(b.name);
    if (batch.length === 0) return [];
    const merged = mergeHeartbeats(batch);
    const now = this.core.nowParam();
    const states = new Map<string, AgentState>();
    await this.core.tx(async (c) => {
      const done = await c.query<{ name: string; state: AgentState }>({
        text: this.sql.heartbeatBatch,
        values: batchParams(merged, now),
      });
      for (const r of done.rows) states.set(r.name, r.state);
      // down agents revived and unknown ones registered, each set in one statement (after an outage
      // or at a gateway's first relay these are many); a name raced by another writer goes one by one
      for (const text of [this.sql.heartbeatBatchRevive, this.sql.heartbeatBatchInsert]) {
        const rest = merged.filter((m) => !states.has(m.name));
        if (rest.length === 0) break;
        const r = await c.query<{ name: string }>({ text, values: batchParams(rest, now) });
        for (const row of r.rows) states.set(row.name, "active");
      }
      for (const m of merged) {
        if (states.has(m.name)) continue;
        const values = [m.name, now, ...m.values];
        for (let i = 0; i < m.count; i++) {
          const live = await c.query<{ state: AgentState }>({ text: this.sql.heartbeat, values });
          if (live.rows[0]) {
            states.set(m.name, live.rows[0].state);
            continue;
          }
          states.set(m.name, "active");
          if ((await c.query({ text: this.sql.heartbeatRevive, values })).rowCount) continue;
          if (!(await c.query({ text: this.sql.heartbeatInsert, values })).rowCount) await c.query({ text: this.sql.heartbeatRevive, values });
        }
      }
    });
    return batch.map((b) => states.get(b.name)!);
  }

  async updateAgentState(name: string, state: AgentState, reason?: string): Promise<AgentRecord> {
    if (!isAgentState(state)) throw new ValidationError(`Unknown state "${String(state)}"; expected one of ${AGENT_STATES.join(", ")}`);
    const r = await this.one(this.sql.setState, [name, this.core.nowParam(), state, pgText(reason ?? null)]);
    if (!r.rows[0]) throw new AgentNotFoundError(name);
    return toAgentRecord(r.rows[0]);
  }

  async recordError(name: string, message: string): Promise<void> {
    const r = await this.core.query({ text: this.sql.recordError, values: [name, this.core.nowParam(), pgText(String(message).slice(0, 4000))] });
    if (!r.rowCount) throw new AgentNotFoundError(name);
  }

  async recordPing(name: string, ping: PingInput): Promise<PingRecord> {
    return this.pings.record(name, ping);
  }

  async getPings(name: string, limit = 20): Promise<PingRecord[]> {
    return this.pings.get(name, limit);
  }

  async getAgent(name: string): Promise<AgentRecord | undefined> {
    const row = (await this.one(this.sql.getAgent, [name], "bga_get_agent")).rows[0];
    return row && toAgentRecord(row);
  }

  /** Ages come from the server's clock: a jump of the monitor's own clock changes none of them (a test clock does). */
  private discountOf(opts: SweepOptions): number {
    return this.core.nowParam() === null ? 0 : (opts.discountMs ?? 0);
  }

  async findStaleAgents(thresholdMs: number, limit = 100, opts: SweepOptions = {}): Promise<{ count: number; sample: StaleAgent[] }> {
    const d = this.discountOf(opts);
    if (opts.detection === "adaptive") {
      const r = await this.core.query<{ name: string; last_heartbeat: number; age: number; rule: StaleRule }>({
        text: this.sql.findStaleAdaptive, values: [Math.max(0, Math.floor(limit)), this.core.nowParam(), d, thresholdMs] });
      const count = r.rows.length < limit ? r.rows.length
        : Number((await this.core.query<{ n: number }>({ text: this.sql.countStaleAdaptive, values: [thresholdMs, this.core.nowParam(), d] })).rows[0]!.n);
      return { count, sample: r.rows.map((x) => ({ name: x.name, lastHeartbeat: x.last_heartbeat, ageMs: x.age, rule: x.rule })) };
    }
    const r = await this.core.query<{ name: string; last_heartbeat: number; age: number }>({
      text: this.sql.findStale, values: [Math.max(0, Math.floor(limit)), this.core.nowParam(), thresholdMs, d] });
    const count = r.rows.length < limit ? r.rows.length
      : Number((await this.core.query<{ n: number }>({ text: this.sql.countStale, values: [thresholdMs, this.core.nowParam(), d] })).rows[0]!.n);
    return { count, sample: r.rows.map((x) => ({ name: x.name, lastHeartbeat: x.last_heartbeat, ageMs: x.age })) };
  }

  /** After an outage seen by this process, agents get one threshold to heartbeat again before any is marked (PgCore.recentlyBack). */
  async markStaleAgents(thresholdMs: number, opts: SweepOptions & { fence?: LeaseFence } = {}): Promise<StaleAgent[]> {
    const text = opts.detection === "adaptive" ? this.sql.markStaleAdaptive : this.sql.markStale;
    const sweep = (db: pg.Pool | pg.PoolClient) =>
      db.query<{ name: string; last_heartbeat: number; age: number; rule?: StaleRule }>(text, [thresholdMs, this.core.nowParam(), this.discountOf(opts)]);
    const fence = opts.fence;
    // checked on every attempt: an attempt retried after the server was lost only probes it
    const rows = await this.core.retry(async () => {
      if (this.core.recentlyBack(thresholdMs)) {
        await this.core.pool.query("SELECT 1");
        return [];
      }
      if (fence) return (await underFence(this.core, fence, fence.ttlMs, async (c) => (await sweep(c)).rows)) ?? [];
      return (await sweep(this.core.pool)).rows;
    });
    return rows.map((x) => ({ name: x.name, lastHeartbeat: x.last_heartbeat, ageMs: x.age, ...(x.rule ? { rule: x.rule } : {}) }));
  }

  tryLease(lease: string, who: LeaseCandidate, ttlMs: number): Promise<{ epoch: number } | null> {
    return this.leases.tryLease(lease, who, ttlMs);
  }

  releaseLease(lease: string, holder: string): Promise<void> {
    return this.leases.releaseLease(lease, holder);
  }

  leaseMembers(lease: string, withinMs: number): Promise<LeaseMember[]> {
    return this.leases.leaseMembers(lease, withinMs);
  }

  async resourceTotals(): Promise<ResourceTotals> {
    return (await this.core.query<ResourceTotals>({ text: this.sql.resourceTotals })).rows[0]!;
  }

  summary(): Promise<StoreSummary> {
    return this.stateCounts.summary();
  }

  async requestRestart(name: string): Promise<void> {
    if (!(await this.core.query({ text: this.sql.requestRestart, values: [name, this.core.nowParam()] })).rowCount) throw new AgentNotFoundError(name);
  }

  async pendingRestarts(): Promise<string[]> {
    return (await this.core.query<{ name: string }>({ text: this.sql.restartRequests })).rows.map((r) => r.name);
  }

  async noteRestart(name: string): Promise<void> {
    if (!(await this.core.query({ text: this.sql.noteRestart, values: [name] })).rowCount) throw new AgentNotFoundError(name);
  }

  async transitionsAfter(afterId: number, limit = 1000): Promise<Transition[]> {
    assertCursor(afterId);
    const r = await this.core.query<TransitionRow>({ text: this.sql.transitionsAfter, values: [afterId, Math.max(1, Math.floor(limit))] });
    return r.rows.map(toTransition);
  }

  async countTransitions(afterId: number): Promise<TransitionCounts> {
    assertCursor(afterId);
    const r = await this.core.query<{ to_state: AgentState; n: number; last: number }>({ text: this.sql.transitionCounts, values: [afterId] });
    const byTarget: TransitionCounts["byTarget"] = {};
    let lastId = afterId;
    for (const row of r.rows) {
      byTarget[row.to_state] = row.n;
      lastId = Math.max(lastId, row.last);
    }
    return { lastId, byTarget };
  }

  async getRegisteredAgents(query: AgentQuery = {}): Promise<AgentRecord[]> {
    const q = agentListSql(this.core.s, query);
    return (await this.one(q.text, q.values)).rows.map(toAgentRecord);
  }

  async countAgents(filter: AgentFilter = {}): Promise<number> {
    const w = agentWhere(filter);
    return Number((await this.core.query<{ n: number }>({ text: `SELECT count(*) AS n FROM ${this.core.s}.agents${w.sql}`, values: w.values })).rows[0]!.n);
  }

  async getTransitions(q: TransitionQuery = {}): Promise<Transition[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (cond: (n: string) => string, v: unknown) => {
      values.push(v);
      where.push(cond(`$${values.length}`));
    };
    if (q.agent !== undefined) add((n) => `agent = ${n}`, q.agent);
    if (q.since !== undefined) add((n) => `at >= ${n}`, q.since);
    if (q.from !== undefined) add((n) => `from_state = ${n}`, q.from);
    if (q.to !== undefined) add((n) => `to_state = ${n}`, q.to);
    values.push(Math.max(1, Math.floor(q.limit ?? 1000)));
    const text = `SELECT * FROM ${this.core.s}.agent_transitions${where.length ? " WHERE " + where.join(" AND ") : ""} ORDER BY id LIMIT $${values.length}`;
    return (await this.core.query<TransitionRow>({ text, values })).rows.map(toTransition);
  }

  async getErrors(query: { agent?: string; limit?: number } = {}): Promise<AgentError[]> {
    const r = await this.core.query<AgentError>({ text: this.sql.errors, values: [query.agent ?? null, Math.max(1, Math.floor(query.limit ?? 100))] });
    return r.rows;
  }

  async cleanupStale(opts: CleanupOptions = {}): Promise<CleanupResult> {
    const keep = new Set(opts.keep ?? []);
    return this.core.tx(async (c) => {
      // FOR UPDATE: an agent revived by a heartbeat meanwhile is re-checked and left alone
      const names = (await c.query<{ name: string }>(this.sql.staleOlderThan, [opts.olderThanMs ?? 0, this.core.nowParam()])).rows.map((r) => r.name);
      const result = { removed: names.filter((n) => !keep.has(n)), kept: names.filter((n) => keep.has(n)) };
      if (!opts.dryRun && result.removed.length) await deleteAgentRows(c, this.sql, result.removed);
      return result;
    });
  }

  async changeToken(): Promise<string> {
    return String((await this.core.query<{ token: string }>({ text: this.sql.changeToken })).rows[0]!.token);
  }

  async storageInfo(): Promise<StorageInfo> {
    const r = await this.core.query<{ bytes: number | null }>({
      text: `SELECT sum(pg_total_relation_size(c.oid))::bigint AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r','m')`,
      values: [[this.opts.schema, this.opts.checkpointSchema]],
    });
    return { location: `${this.core.where} (schema ${this.opts.schema})`, dbBytes: r.rows[0]?.bytes ?? null, walBytes: null };
  }

  /** PostgreSQL has no store-wide write lock: the round trip of a tiny write (a transaction on one connection). */
  async probeWriteLock(): Promise<number> {
    const t = performance.now();
    await this.core.tx(async (c) => {
      await c.query(`SELECT ${this.core.s}.now_ms()`);
    });
    return performance.now() - t;
  }

  async createCheckpointer(): Promise<BaseCheckpointSaver> {
    return this.saver();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.stateCounts.close();
    await this.core.pool.end();
  }
}

/**
 * SharedState: the SQLite implementation of StateStore. Every write takes the StateLock (mutex +
 * flock), then runs one synchronous BEGIN IMMEDIATE transaction; SQLITE_BUSY from connections that
 * bypass our lock (a sqlite3 shell, a backup) is retried with backoff, then surfaced.
 *
 * Transitions are written by SQLite, not here: the triggers agents_transition_on_insert/_on_update
 * (migration 006, migrations/006-transition-ids.ts) add an agent_transitions row, with the new
 * state_changed_at and state_reason, whenever a write inserts an agent or changes its `state`.
 * The writes that do are marked "transition: trigger (migration 006)"; they set both columns.
 */
import { SoleLeader } from "./sole-leader.js";
import type { LeaseCandidate, LeaseMember } from "../lease-types.js";
import type Database from "better-sqlite3";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { systemClock, type Clock } from "../../clock/index.js";
import { ValidationError, AgentNotFoundError, isSqliteBusy } from "../../errors/index.js";
import { FileIdentity } from "./file-identity.js";
import { WalCheckpoints, type WalCheckpointOptions } from "./wal-checkpoints.js";
import { stat } from "node:fs/promises";
import { FileStateLock, InProcessLock, withRetry, type StateLock } from "../../locking/index.js";
import {
  AGENT_STATES, isAgentState, type AgentFilter, type AgentQuery, type AgentRecord, type AgentState, type HeartbeatInfo, type HeartbeatUpdate,
  type RegisterOptions, type StaleAgent, type AgentError, type CleanupOptions, type StateStore, type StoreSummary, type Transition, type TransitionQuery,
  type StorageInfo, type TransitionCounts, type CleanupResult, type PingInput, type PingRecord,
  type SweepOptions, type ResourceTotals,
} from "../types.js";
import { AgentList } from "./agent-list.js";
import { SqliteFleetStore } from "./fleet.js";
import { SqlitePerfStore } from "./perf.js";
import { SqlitePings } from "./pings.js";
import { SqliteTraceStore } from "./traces.js";
import { SqliteNotifyStore } from "./notify.js";
import { SqliteSignalStore } from "./signals.js";
import { assertCompatible, migrate } from "./migrations.js";
import { asDatabaseError, isMemoryPath, openDatabase, type Db } from "./open.js";
import { assertAgentName } from "../agent-name.js";
import { deleteAgentRows } from "./delete-agents.js";
import { HeartbeatWrites } from "./heartbeat-writes.js";
import { sumResourceTotals } from "./resource-totals.js";
import { heartbeatParams, toAgentRecord, toTransition, type AgentRow, type TransitionRow } from "./rows.js";
import { prepareStatements, type Statements } from "./statements.js";
import { WRITE_CHUNK_ROWS, writeInChunks } from "./chunked-write.js";
import { transitionCounts, transitionQuery, type TransitionCountRow } from "./transition-query.js";
import type { DetectionParams } from "../detection-sql.js";
import type { StaleRule } from "../../intelligence/index.js";

export interface SharedStateOptions {
  path: string;
  clock?: Clock;
  /** @defaultValue 10_000 */
  lockTimeoutMs?: number;
  /** @defaultValue 3 */
  retryAttempts?: number;
  /** @defaultValue 1.5 */
  backoffFactor?: number;
  /** Checkpoints kept per thread by createCheckpointer(). @defaultValue 20 */
  checkpointRetention?: number;
  /** Hand in a lock (tests); by default a FileStateLock on `<path>.lock`. */
  lock?: StateLock;
  /** How heartbeats compute each agent's stale bound (PHI_THRESHOLD, STALE_THRESHOLD). */
  detection?: DetectionParams;
  /** When WAL checkpoints run (wal-checkpoints.ts). */
  walCheckpoints?: WalCheckpointOptions;
}


/** A transition id to read after: a number (0 for the start of the feed). */
function assertCursor(afterId: unknown): asserts afterId is number {
  if (typeof afterId !== "number" || Number.isNaN(afterId)) throw new ValidationError(`A transition cursor must be a number (0 for the start), got ${String(afterId)}`);
}

export class SharedState implements StateStore {
  private readonly stmts: Statements;
  private readonly heartbeats: HeartbeatWrites;
  private readonly retryAttempts: number;
  private readonly backoffFactor: number;
  private readonly checkpointRetention: number;
  private readonly agentList: AgentList;
  private readonly pings: SqlitePings;
  private closed = false;
  /** The file opened (undefined in memory). */
  private readonly file: FileIdentity | undefined;
  /** Undefined in memory (no WAL). */
  readonly walCheckpoints: WalCheckpoints | undefined;
  private readonly totalChanges: Database.Statement;
  private readonly dataVersion: Database.Statement;
  /** Commits by this connection (changeToken). */
  private commits = 0;
  readonly fleet = new SqliteFleetStore(this);
  readonly perf = new SqlitePerfStore(this);
  readonly traces = new SqliteTraceStore(this);
  readonly notify = new SqliteNotifyStore(this);
  readonly signals = new SqliteSignalStore(this);
  private readonly leases: SoleLeader;

  private constructor(readonly db: Db, readonly lock: StateLock, readonly path: string, readonly clock: Clock, opts: SharedStateOptions & { file?: FileIdentity }) {
    this.stmts = prepareStatements(db, opts.detection);
    this.leases = new SoleLeader(clock);
    this.agentList = new AgentList(db);
    this.pings = new SqlitePings(db);
    this.heartbeats = new HeartbeatWrites(db, this.stmts);
    this.retryAttempts = opts.retryAttempts ?? 3;
    this.backoffFactor = opts.backoffFactor ?? 1.5;
    this.checkpointRetention = opts.checkpointRetention ?? 20;
    this.file = opts.file;
    this.walCheckpoints = opts.file ? new WalCheckpoints(db, path, lock, opts.walCheckpoints) : undefined;
    this.totalChanges = db.prepare("SELECT total_changes()").pluck();
    this.dataVersion = db.prepare("PRAGMA data_version").pluck();
  }

  /** Opens (creating if needed) and migrates the database. Refuses foreign or corrupt files untouched. */
  static async open(opts: SharedStateOptions): Promise<SharedState> {
    const db = openDatabase(opts.path, { assertCompatible: (d) => assertCompatible(d, opts.path) });
    const file = isMemoryPath(opts.path) ? undefined : FileIdentity.of(opts.path);
    const lock = opts.lock ?? (isMemoryPath(opts.path)
      ? new InProcessLock()
      : new FileStateLock(`${opts.path}.lock`, { timeoutMs: opts.lockTimeoutMs, backoffFactor: opts.backoffFactor }));
    try {
      await lock.run(() => migrate(db, opts.path));
      return new SharedState(db, lock, opts.path, opts.clock ?? systemClock, { ...opts, file });
    } catch (e) {
      db.close();
      if (!opts.lock) lock.close();
      throw asDatabaseError(e, opts.path);
    }
  }

  /** Runs `fn` as one IMMEDIATE transaction under the state lock, retrying SQLITE_BUSY. */
  async write<T>(fn: () => T): Promise<T> {
    const tx = this.db.transaction(fn);
    let changed = 0;
    const result = await this.withBusyRetry(() => this.lock.run(() => {
      this.assertSameFile();
      // counted under the lock: another write of this process cannot land in between
      const before = this.totalChanges.get() as number;
      const r = tx.immediate();
      changed = (this.totalChanges.get() as number) - before;
      return r;
    }));
    this.wrote(changed);
    return result;
  }

  /** After each commit of ours, outside the lock: `rows` changed (0: a write that found nothing to do). */
  private wrote(rows: number): void {
    if (rows > 0) this.commits++;
    this.walCheckpoints?.noteWritten(Math.max(1, rows));
  }

  /** The file at `path` is still the one opened (file-identity.ts); nothing to check in memory. */
  assertSameFile(): void {
    this.file?.assertUnchanged();
  }

  /** Retries an operation that failed with SQLITE_BUSY, with exponential backoff. */
  withBusyRetry<T>(op: () => Promise<T>): Promise<T> {
    return withRetry(op, {
      attempts: this.retryAttempts,
      backoffFactor: this.backoffFactor,
      baseDelayMs: 50,
      isRetryable: isSqliteBusy,
    }).catch((e) => {
      throw asDatabaseError(e, this.path);
    });
  }

  async registerAgent(name: string, opts: RegisterOptions = {}): Promise<AgentRecord> {
    // transition: trigger (migration 006), also on re-registration from another state
    assertAgentName(name);
    return this.write(() => {
      const now = this.clock.now();
      this.stmts.register.run({
        ...heartbeatParams(name, now, opts),
        reason: opts.reason ?? "registered",
        meta: opts.meta ? JSON.stringify(opts.meta) : null,
      });
      return toAgentRecord(this.stmts.getAgent.get(name) as AgentRow);
    });
  }

  async getRegisteredAgents(query: AgentQuery = {}): Promise<AgentRecord[]> {
    return this.agentList.list(query);
  }

  async agentViewsJson(query: AgentQuery, now: number, opts: { lateAfterMs?: number } = {}): Promise<{ json: string; count: number }> {
    return this.agentList.listJson(query, now, opts.lateAfterMs);
  }


  async countAgents(filter: AgentFilter = {}): Promise<number> {
    return this.agentList.count(filter);
  }

  async getAgent(name: string): Promise<AgentRecord | undefined> {
    const row = this.stmts.getAgent.get(name) as AgentRow | undefined;
    return row && toAgentRecord(row);
  }

  async updateAgentState(name: string, state: AgentState, reason?: string): Promise<AgentRecord> {
    if (!isAgentState(state)) throw new ValidationError(`Unknown state "${String(state)}"; expected one of ${AGENT_STATES.join(", ")}`);
    // transition: trigger (migration 006), only when the state differs
    return this.write(() => {
      const r = this.stmts.setState.run({ name, state, reason: reason ?? null, now: this.clock.now() });
      if (r.changes === 0) throw new AgentNotFoundError(name);
      return toAgentRecord(this.stmts.getAgent.get(name) as AgentRow);
    });
  }

  async updateHeartbeat(name: string, info?: HeartbeatInfo): Promise<void> {
    assertAgentName(name);
    // transition: trigger (migration 006) when the heartbeat revives or registers the agent (heartbeatTx)
    const params = heartbeatParams(name, this.clock.now(), info);
    await this.withBusyRetry(() => this.lock.run(() => {
      this.assertSameFile();
      return this.heartbeats.one.immediate(params);
    }));
    this.wrote(1);
  }

  async updateHeartbeats(batch: readonly HeartbeatUpdate[]): Promise<AgentState[]> {
    for (const b of batch) assertAgentName(b.name);
    if (batch.length === 0) return [];
    const now = this.clock.now();
    const params = batch.map((b) => heartbeatParams(b.name, now, b.info));
    return writeInChunks(params, WRITE_CHUNK_ROWS, async (chunk) => {
      const states = await this.withBusyRetry(() => this.lock.run(() => {
        this.assertSameFile();
        return this.heartbeats.many.immediate(chunk);
      }));
      this.wrote(chunk.length);
      return states;
    });
  }

  async recordError(name: string, message: string): Promise<void> {
    const text = String(message).slice(0, 4000);
    await this.write(() => {
      const params = { name, message: text, now: this.clock.now() };
      if (this.stmts.recordError.run(params).changes === 0) throw new AgentNotFoundError(name);
      this.stmts.insertError.run(params);
    });
  }

  async recordPing(name: string, ping: PingInput): Promise<PingRecord> {
    return this.write(() => this.pings.record(name, ping, this.clock.now()));
  }

  async getPings(name: string, limit = 20): Promise<PingRecord[]> {
    return this.pings.get(name, limit);
  }

  async findStaleAgents(thresholdMs: number, limit = 100, opts: SweepOptions = {}): Promise<{ count: number; sample: StaleAgent[] }> {
    const now = opts.nowMs ?? this.clock.now();
    const asOf = now - (opts.discountMs ?? 0);
    if (opts.detection === "adaptive") {
      const p = { asOf, threshold: thresholdMs };
      const found = this.stmts.findStaleAdaptive.all({ ...p, limit }) as { name: string; last_heartbeat: number; rule: StaleRule }[];
      const n = found.length < limit ? found.length : (this.stmts.countStaleAdaptive.get(p) as { n: number }).n;
      return { count: n, sample: found.map((r) => ({ name: r.name, lastHeartbeat: r.last_heartbeat, ageMs: now - r.last_heartbeat, rule: r.rule })) };
    }
    const cutoff = asOf - thresholdMs;
    const rows = this.stmts.findStale.all({ cutoff, limit }) as { name: string; last_heartbeat: number }[];
    const count = rows.length < limit ? rows.length : (this.stmts.countStale.get({ cutoff }) as { n: number }).n;
    return { count, sample: rows.map((r) => ({ name: r.name, lastHeartbeat: r.last_heartbeat, ageMs: now - r.last_heartbeat })) };
  }

  tryLease(lease: string, who: LeaseCandidate, ttlMs: number): Promise<{ epoch: number }> {
    return this.leases.tryLease(lease, who, ttlMs);
  }

  releaseLease(lease: string, holder: string): Promise<void> {
    return this.leases.releaseLease(lease, holder);
  }

  leaseMembers(lease: string, withinMs: number): Promise<LeaseMember[]> {
    return this.leases.leaseMembers(lease, withinMs);
  }

  /** The fence in `opts` is not checked: the instance lock allows one monitor per file. */
  async markStaleAgents(thresholdMs: number, opts: SweepOptions = {}): Promise<StaleAgent[]> {
    // transition: trigger (migration 006), one per agent marked
    return this.write(() => {
      const now = opts.nowMs ?? this.clock.now();
      if (opts.detection !== "adaptive") {
        const rows = this.stmts.markStale.all({ now, cutoff: now - thresholdMs - (opts.discountMs ?? 0), threshold: thresholdMs }) as { name: string; last_heartbeat: number }[];
        return rows.map((r) => ({ name: r.name, lastHeartbeat: r.last_heartbeat, ageMs: now - r.last_heartbeat }));
      }
      const asOf = now - (opts.discountMs ?? 0);
      const rows = this.stmts.markStaleAdaptive.all({ now, asOf, threshold: thresholdMs }) as { name: string; last_heartbeat: number; rule: StaleRule }[];
      return rows.map((r) => ({ name: r.name, lastHeartbeat: r.last_heartbeat, ageMs: now - r.last_heartbeat, rule: r.rule }));
    });
  }

  async getTransitions(q: TransitionQuery = {}): Promise<Transition[]> {
    const { sql, params } = transitionQuery(q);
    return (this.db.prepare(sql).all(params) as TransitionRow[]).map(toTransition);
  }

  async summary(): Promise<StoreSummary> {
    const byState = Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) as Record<AgentState, number>;
    let total = 0;
    for (const r of this.stmts.summary.all() as { state: AgentState; n: number }[]) {
      byState[r.state] = r.n;
      total += r.n;
    }
    return { total, byState };
  }

  resourceTotals(): Promise<ResourceTotals> {
    return sumResourceTotals(this.stmts);
  }

  async requestRestart(name: string): Promise<void> {
    await this.write(() => {
      if (this.stmts.requestRestart.run({ name, now: this.clock.now() }).changes === 0) throw new AgentNotFoundError(name);
    });
  }

  async pendingRestarts(): Promise<string[]> {
    return (this.stmts.restartRequests.all() as { name: string }[]).map((r) => r.name);
  }

  async noteRestart(name: string): Promise<void> {
    await this.write(() => {
      if (this.stmts.noteRestart.run({ name }).changes === 0) throw new AgentNotFoundError(name);
    });
  }

  async cleanupStale(opts: CleanupOptions = {}): Promise<CleanupResult> {
    const keep = new Set(opts.keep ?? []);
    const pick = (): CleanupResult => {
      const names = (this.stmts.staleOlderThan.all({ cutoff: this.clock.now() - (opts.olderThanMs ?? 0) }) as { name: string }[]).map((r) => r.name);
      return { removed: names.filter((n) => !keep.has(n)), kept: names.filter((n) => keep.has(n)) };
    };
    if (opts.dryRun) return pick();
    return this.write(() => {
      const result = pick();
      deleteAgentRows(this.db, result.removed);
      return result;
    });
  }

  async getErrors(query: { agent?: string; limit?: number } = {}): Promise<AgentError[]> {
    return this.stmts.errors.all({ agent: query.agent ?? null, limit: Math.max(1, Math.floor(query.limit ?? 100)) }) as AgentError[];
  }

  /** Ids come from AUTOINCREMENT (migration 006): never reused, and one writer commits them in order. */
  async transitionsAfter(afterId: number, limit = 1000): Promise<Transition[]> {
    assertCursor(afterId);
    const rows = this.stmts.transitionsAfter.all({ afterId, limit: Math.max(1, Math.floor(limit)) }) as TransitionRow[];
    return rows.map(toTransition);
  }

  async countTransitions(afterId: number): Promise<TransitionCounts> {
    assertCursor(afterId);
    return transitionCounts(this.stmts.transitionCounts.all({ afterId }) as TransitionCountRow[], afterId);
  }

  /**
   * Without reading the agents (a scan of 100k took ~26 ms, polled every second while a dashboard
   * is open): SQLite's data_version moves when another connection commits, `commits` when this one
   * does. So it also moves on writes that change no agent; that costs one summary more.
   */
  async changeToken(): Promise<string> {
    return `${this.dataVersion.get() as number}:${this.commits}`;
  }

  async storageInfo(): Promise<StorageInfo> {
    if (isMemoryPath(this.path)) return { location: this.path, dbBytes: null, walBytes: null };
    const size = (p: string) => stat(p).then((s) => s.size, () => null);
    return { location: this.path, dbBytes: await size(this.path), walBytes: await size(`${this.path}-wal`) };
  }

  async probeWriteLock(): Promise<number> {
    const t = performance.now();
    await this.lock.run(() => undefined);
    return performance.now() - t;
  }

  async createCheckpointer(): Promise<BaseCheckpointSaver> {
    // imported here: the saver pulls in @langchain/core/load, which a process that never checkpoints (the supervisor) need not load
    const { LockedSqliteSaver } = await import("./locked-saver.js");
    return new LockedSqliteSaver(this.db, this.lock, {
      retention: this.checkpointRetention,
      retry: (op) => this.withBusyRetry(op),
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.walCheckpoints?.close();
    // Take the lock so no write of ours is cut off half-way.
    await this.lock.run(() => this.db.close()).catch(() => this.db.close());
    this.lock.close();
  }
}

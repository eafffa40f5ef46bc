/**
 * The supervisor's own heartbeat (as SystemInitializer), sent from its tick loop at most once per
 * HEARTBEAT_INTERVAL; it is also the supervisor's probe of the database's write path: how long the
 * write takes (or has been taking), whether the database refuses writes, and until when the
 * monitor is excused after an outage (every process's writes resume a little apart).
 */
import type { AgentContext } from "../agents/context.js";
import { sendHeartbeat } from "../agents/runtime/lifecycle.js";
import type { Clock } from "../clock/index.js";
import type { Config } from "../config/index.js";
import { isDatabaseError, isLockTimeoutError, type DatabaseError } from "../errors/index.js";
import type { Logger } from "../logging/index.js";
import { RepeatedProblem } from "../logging/repeat.js";
import { storageRefusal, storageWhere } from "../storage/index.js";

export interface OwnHeartbeatOptions {
  ctx: AgentContext;
  config: Config;
  clock: Clock;
  log: Logger;
  /** The database file was deleted or replaced: no wait brings it back. */
  onReplaced(e: DatabaseError): void;
  /** These processes hold the state lock past LOCK_TIMEOUT (hung or stopped). */
  onLockHolders(pids: readonly number[]): void;
}

export class OwnHeartbeat {
  private startedAt: number | undefined;
  private lastMs = 0;
  private lastAt = 0;
  private excusedUntil = -Infinity;
  private refusal: string | undefined;
  private readonly trouble: RepeatedProblem;

  constructor(private readonly o: OwnHeartbeatOptions) {
    this.trouble = new RepeatedProblem(o.log, "supervisor heartbeat", { clock: o.clock });
  }

  /** The code of the database's refusal of the last heartbeat (DB_FULL ...), while it refuses. */
  get refusing(): string | undefined {
    return this.refusal;
  }

  /** Until when the monitor's silence is excused (after a slow or refused write path). */
  get monitorExcusedUntil(): number {
    return this.excusedUntil;
  }

  /** How long the heartbeat write in flight has taken so far, or the last one took. */
  writeMs(now: number): number {
    return this.startedAt !== undefined ? now - this.startedAt : this.lastMs;
  }

  /** Sends the heartbeat when one is due; a write still in flight is measured by writeMs. */
  sendIfDue(): void {
    const { clock, config } = this.o;
    const started = clock.now();
    const sinceLast = started - this.lastAt;
    // a wall clock that went back makes sinceLast negative: due now, not in an hour
    if (this.startedAt !== undefined || (sinceLast >= 0 && sinceLast < config.heartbeatIntervalMs)) return;
    this.startedAt = started;
    this.lastAt = started;
    sendHeartbeat(this.o.ctx)
      .then(() => this.accepted(), (e: unknown) => this.refused(e))
      .finally(() => {
        this.lastMs = clock.now() - started;
        this.startedAt = undefined;
        // after a database outage every process's writes resume a little apart: give the monitor a threshold
        if (this.lastMs > Math.max(250, config.staleThresholdMs / 2)) this.excuse();
      });
  }

  /** The wall clock jumped by `jump` ms: the schedule moves with it, and the monitor gets a threshold. */
  shift(jump: number, now: number): void {
    this.lastAt += jump;
    this.excusedUntil = Math.max(this.excusedUntil + jump, now + this.o.config.staleThresholdMs);
  }

  private excuse(): void {
    this.excusedUntil = this.o.clock.now() + this.o.config.staleThresholdMs;
  }

  private accepted(): void {
    this.trouble.recovered();
    if (!this.refusal) return;
    this.refusal = undefined;
    this.excuse();
  }

  private refused(e: unknown): void {
    if (isDatabaseError(e) && e.code === "DB_REPLACED") {
      this.o.onReplaced(e);
      return;
    }
    const r = storageRefusal(e, storageWhere(this.o.config));
    this.refusal = r?.code;
    const wait = isLockTimeoutError(e) ? "the other agents wait and resume on their own" : "agents wait and resume on their own, no restart budget is spent";
    this.trouble.failed(e, r ? { hint: `${r.hint}; ${wait}` } : {});
    if (isLockTimeoutError(e)) this.o.onLockHolders(e.holderPids);
  }
}

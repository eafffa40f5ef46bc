/**
 * WAL checkpoints outside the state lock and, in a busy process, off the event loop.
 *
 * SQLite's own checkpoint runs inside the COMMIT that takes the WAL past 1000 pages: under our
 * state lock (every other writer, in every process, waits for it) and on the event loop, with two
 * fsyncs that took 5-150 ms here (at 100k agents a 128-row chunk took 9 ms with them, 4.5 without).
 * So the connection's automatic checkpoint is off, and every `everyRows` rows this store writes,
 * a PASSIVE checkpoint runs after the lock is released: inline, or, in a process that answers
 * requests, on a thread with its own connection (checkpoint-thread.ts) once it writes more than
 * `threadAbovePerSecond` rows a second (a thread costs memory, so an idle server never starts one).
 * A PASSIVE checkpoint never waits for writers, so under steady writes the WAL may never be wholly
 * copied, and so never start again from its beginning: past `restartAbovePages` frames it is
 * restarted under the state lock. A checkpoint that fails loses nothing (the frames stay in the
 * WAL) and is tried again after the next `everyRows`.
 */
import type { StateLock } from "../../locking/index.js";
import { CheckpointThread, type CheckpointMode, type CheckpointResult } from "./checkpoint-thread.js";
import type { Db } from "./open.js";

export interface WalCheckpointOptions {
  /** Rows written by this store between two checkpoints (a heartbeat is about 3 WAL pages). @defaultValue 300 */
  everyRows?: number;
  /** Rows a second above which checkpoints move to a thread. @defaultValue Infinity (never: see openStore's answersRequests) */
  threadAbovePerSecond?: number;
  /** WAL frames past which the WAL is restarted under the state lock. @defaultValue 8192 (32 MB of 4 KB pages) */
  restartAbovePages?: number;
}

/** Rows past `everyRows` with a checkpoint still waiting for the event loop, before one runs inline. */
const OVERDUE_FACTOR = 8;

/** How long a RESTART waits for readers still on the WAL (it holds the state lock meanwhile). */
const RESTART_WAIT_MS = 1000;

export interface WalCheckpointStats {
  passive: number;
  /** RESTARTs that finished (one that a reader kept waiting past RESTART_WAIT_MS is not counted). */
  restarts: number;
  /** Of the checkpoints above, how many ran on the thread. */
  onThread: number;
  failures: number;
  lastError?: string;
  /** Frames in the WAL at the last checkpoint. */
  lastLog: number;
}

export class WalCheckpoints {
  private readonly everyRows: number;
  private readonly threadAbovePerSecond: number;
  private readonly restartAbovePages: number;
  private rows = 0;
  private running: Promise<void> | undefined;
  private thread: CheckpointThread | undefined;
  private starting: Promise<void> | undefined;
  private windowStart = 0;
  private inWindow = 0;
  private closed = false;
  readonly stats: WalCheckpointStats = { passive: 0, restarts: 0, onThread: 0, failures: 0, lastLog: 0 };

  constructor(private readonly db: Db, private readonly path: string, private readonly lock: StateLock, opts: WalCheckpointOptions = {}) {
    this.everyRows = opts.everyRows ?? 300;
    this.threadAbovePerSecond = opts.threadAbovePerSecond ?? Infinity;
    this.restartAbovePages = opts.restartAbovePages ?? 8192;
    db.pragma("wal_autocheckpoint = 0");
  }

  /** Whether checkpoints now run on the thread. */
  get onThread(): boolean {
    return this.thread !== undefined && !this.thread.stopped;
  }

  /** After each write, outside the state lock: `rows` written. */
  noteWritten(rows: number): void {
    if (this.closed) return;
    if (this.starting === undefined && this.busy(rows)) this.startThread();
    this.rows += rows;
    if (this.rows < this.everyRows) return;
    if (this.running) {
      // The event loop has not turned since (a caller writing in a loop of resolved promises never
      // lets the thread's answer in): checkpoint here and now, or the WAL only grows.
      if (this.rows >= OVERDUE_FACTOR * this.everyRows) (this.rows = 0), this.checkpointInline();
      return;
    }
    this.rows = 0;
    // after the writer's answer, not before it
    this.running = new Promise<void>((r) => setImmediate(r)).then(() => this.checkpoint()).finally(() => (this.running = undefined));
  }

  /** Waits for the checkpoint in progress, then stops the thread. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    await this.starting;
    await this.thread?.close();
  }

  private async checkpoint(): Promise<void> {
    try {
      const r = await this.run("PASSIVE");
      this.stats.passive++;
      this.stats.lastLog = r.log;
      if (r.log < this.restartAbovePages || r.busy) return;
      const restarted = await this.lock.run(() => this.run("RESTART"));
      if (!restarted.busy) this.stats.restarts++;
    } catch (e) {
      this.failed(e);
    }
  }

  private checkpointInline(): void {
    try {
      const r = this.inline("PASSIVE");
      this.stats.passive++;
      this.stats.lastLog = r.log;
      if (r.log < this.restartAbovePages || r.busy) return;
      // synchronous when the lock is free; else as soon as it is
      void this.lock.run(() => this.inline("RESTART")).then((restarted) => void (restarted.busy || this.stats.restarts++), (e: unknown) => this.failed(e));
    } catch (e) {
      this.failed(e);
    }
  }

  private failed(e: unknown): void {
    this.stats.failures++;
    this.stats.lastError = (e as Error).message;
  }

  private run(mode: CheckpointMode): CheckpointResult | Promise<CheckpointResult> {
    if (this.thread && !this.thread.stopped) {
      this.stats.onThread++;
      return this.thread.run(mode);
    }
    return this.inline(mode);
  }

  private inline(mode: CheckpointMode): CheckpointResult {
    if (mode === "PASSIVE") return (this.db.pragma("wal_checkpoint(PASSIVE)") as CheckpointResult[])[0]!;
    const wait = this.db.pragma("busy_timeout", { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${RESTART_WAIT_MS}`);
    try {
      return (this.db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[])[0]!;
    } finally {
      this.db.pragma(`busy_timeout = ${wait}`);
    }
  }

  private busy(rows: number): boolean {
    const now = performance.now();
    if (now - this.windowStart >= 1000) (this.windowStart = now), (this.inWindow = 0);
    this.inWindow += rows;
    return this.inWindow > this.threadAbovePerSecond;
  }

  private startThread(): void {
    // the thread is a speed-up: if it cannot start, checkpoints stay inline
    this.starting = CheckpointThread.start(this.path, RESTART_WAIT_MS).then(
      (t) => void (this.closed ? t.close() : (this.thread = t)),
      (e: unknown) => void (this.stats.lastError = (e as Error).message),
    );
  }
}

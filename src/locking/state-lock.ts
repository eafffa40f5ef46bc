/**
 * StateLock: the one gate every write to the state database goes through.
 * = async-mutex (orders callers inside this process)
 * + a kernel flock(2) on `<db>.lock` (orders processes; the kernel drops it when the holder dies,
 *   so a SIGKILLed holder never blocks the others).
 * Not re-entrant: never call run() from inside run().
 *
 * Waiting: poll with timers from 1 ms, growing by the backoff factor to 20 ms. Spinning takes CPU
 * from the holder when writers outnumber cores, and a blocking flock on the libuv threadpool hands
 * the lock to a process that must first be scheduled twice (pool thread, then main thread); the
 * figures are in docs/performance.md ("Design decisions").
 * The hot path avoids a timer per call (the timed mutex is used only when contended), takes an
 * unlocked mutex without waiting for a promise, and releases the flock right after synchronous
 * work, without a microtask hop.
 */
import { closeSync, openSync } from "node:fs";
import { Mutex, Semaphore, withTimeout, E_TIMEOUT, type SemaphoreInterface } from "async-mutex";
import fsExt from "fs-ext";
import { LockTimeoutError } from "../errors/index.js";
import { describeHolders, lockHolders } from "./lock-holders.js";

export interface StateLock {
  /** Runs `fn` holding the lock. Throws LockTimeoutError when the lock is not had within the timeout. */
  run<T>(fn: () => T | Promise<T>): Promise<T>;
  close(): void;
}

export interface FileLockOptions {
  /** Longest total wait for the lock. @defaultValue 10_000 */
  timeoutMs?: number;
  /** Growth of the poll interval while the lock is busy. @defaultValue 1.5 */
  backoffFactor?: number;
  /** Longest pause between two polls. @defaultValue 20 */
  maxPollMs?: number;
}

const isThenable = (x: unknown): x is PromiseLike<unknown> => typeof (x as { then?: unknown } | null)?.then === "function";

export class FileStateLock implements StateLock {
  /** A semaphore of one, not a Mutex: async-mutex's Mutex wraps each acquire in a generator (~1 µs per write). */
  private readonly mutex = new Semaphore(1);
  /** The same mutex with a timeout: used only when contended (a timer per call costs ~5 µs). */
  private readonly timedMutex: SemaphoreInterface;
  private readonly fd: number;
  private readonly timeoutMs: number;
  private readonly backoffFactor: number;
  private readonly maxPollMs: number;
  private closed = false;

  constructor(readonly lockPath: string, opts: FileLockOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.backoffFactor = opts.backoffFactor ?? 1.5;
    this.maxPollMs = opts.maxPollMs ?? 20;
    this.timedMutex = withTimeout(this.mutex, this.timeoutMs);
    this.fd = openSync(lockPath, "a");
  }

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    // Uncontended (the usual case: one writer per process): an unlocked async-mutex is taken
    // synchronously, so there is no promise to wait for before the flock.
    if (this.mutex.isLocked()) await this.acquireTimedMutex();
    else void this.mutex.acquire();
    try {
      if (this.closed) throw new Error(`State lock ${this.lockPath} is closed`);
      if (!this.tryFlock()) await this.waitForFlock(started);
      let result: T | Promise<T>;
      try {
        result = fn();
      } catch (e) {
        fsExt.flockSync(this.fd, "un");
        throw e;
      }
      if (!isThenable(result)) {
        fsExt.flockSync(this.fd, "un"); // synchronous work (every SharedState write): no microtask hop
        return result;
      }
      try {
        return await result;
      } finally {
        fsExt.flockSync(this.fd, "un");
      }
    } finally {
      this.mutex.release();
    }
  }

  private async acquireTimedMutex(): Promise<void> {
    try {
      await this.timedMutex.acquire();
    } catch (e) {
      if (e === E_TIMEOUT) throw new LockTimeoutError(this.lockPath, this.timeoutMs, "another caller in this process (pid " + process.pid + ")");
      throw e;
    }
  }

  private tryFlock(): boolean {
    try {
      fsExt.flockSync(this.fd, "exnb");
      return true;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN" || code === "EWOULDBLOCK") return false;
      throw e;
    }
  }

  private async waitForFlock(started: number): Promise<void> {
    let pause = 1;
    for (;;) {
      const waited = performance.now() - started;
      if (waited >= this.timeoutMs) {
        const holders = lockHolders(this.lockPath);
        throw new LockTimeoutError(this.lockPath, Math.round(waited), describeHolders(this.lockPath, holders), holders.map((h) => h.pid));
      }
      await new Promise<void>((r) => setTimeout(r, Math.min(pause, this.timeoutMs - waited)));
      pause = Math.min(this.maxPollMs, pause * this.backoffFactor);
      if (this.tryFlock()) return;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

/** For `:memory:` databases and unit tests: orders callers inside this process only. */
export class InProcessLock implements StateLock {
  private readonly mutex = new Mutex();
  run<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.mutex.runExclusive(fn);
  }
  close(): void {}
}

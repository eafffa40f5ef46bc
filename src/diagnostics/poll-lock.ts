/**
 * PollingFlockLock: the same kernel flock on `<db>.lock` as FileStateLock, but waited for with
 * non-blocking tries only. FileStateLock's blocking flock cannot be cancelled: after a timeout it
 * stays on a libuv threadpool thread, and Node joins those threads at exit, so even process.exit()
 * hangs until the holder lets go. A diagnostic command must exit when the lock is stuck, so the CLI
 * and the db-check probe use this lock instead (a few polls per second: no cost that matters here).
 */
import { closeSync, openSync } from "node:fs";
import { Mutex } from "async-mutex";
import fsExt from "fs-ext";
import { LockTimeoutError } from "../errors/index.js";
import { describeHolders, type StateLock } from "../locking/index.js";

export class PollingFlockLock implements StateLock {
  private readonly mutex = new Mutex();
  private fd: number | undefined;

  constructor(readonly lockPath: string, private readonly timeoutMs: number) {}

  run<T>(fn: () => T | Promise<T>): Promise<T> {
    return this.mutex.runExclusive(async () => {
      this.fd ??= openSync(this.lockPath, "a");
      await pollFlock(this.fd, this.lockPath, this.timeoutMs);
      try {
        return await fn();
      } finally {
        fsExt.flockSync(this.fd, "un");
      }
    });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Takes the flock on `fd` by polling (1 ms growing to 20 ms), at most `timeoutMs`. */
export async function pollFlock(fd: number, lockPath: string, timeoutMs: number): Promise<void> {
  const started = performance.now();
  for (let pause = 1; ; pause = Math.min(20, pause * 1.5)) {
    try {
      fsExt.flockSync(fd, "exnb");
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "EAGAIN" && code !== "EWOULDBLOCK") throw e;
    }
    const waited = performance.now() - started;
    if (waited >= timeoutMs) throw new LockTimeoutError(lockPath, Math.round(waited), describeHolders(lockPath));
    await new Promise((r) => setTimeout(r, Math.min(pause, timeoutMs - waited)));
  }
}

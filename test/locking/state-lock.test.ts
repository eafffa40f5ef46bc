/** StateLock and retry in one process: ordering, timeout, release on error; backoff arithmetic. */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { isLockTimeoutError } from "../../src/errors/index.js";
import { backoffDelay, FileStateLock, InProcessLock, lockHolders, withRetry } from "../../src/locking/index.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

const locks: FileStateLock[] = [];
const fileLock = (path: string, timeoutMs = 5000) => {
  const l = new FileStateLock(path, { timeoutMs });
  locks.push(l);
  return l;
};

afterEach(() => {
  for (const l of locks.splice(0)) l.close();
  removeTempDirs();
});

describe("FileStateLock", () => {
  it("runs callers one at a time, in order, and returns their results", async () => {
    const lock = fileLock(join(makeTempDir(), "x.lock"));
    const seen: string[] = [];
    let inside = 0;
    const job = (name: string) => lock.run(async () => {
      inside++;
      expect(inside).toBe(1);
      seen.push(name);
      await new Promise((r) => setTimeout(r, 5));
      inside--;
      return name;
    });
    expect(await Promise.all(["a", "b", "c"].map(job))).toEqual(["a", "b", "c"]);
    expect(seen).toEqual(["a", "b", "c"]);
  });

  it("releases the lock when the callback throws", async () => {
    const lock = fileLock(join(makeTempDir(), "x.lock"));
    await expect(lock.run(() => { throw new Error("boom"); })).rejects.toThrow("boom");
    expect(await lock.run(() => 42)).toBe(42);
  });

  it("a second open file description waits for the flock, and times out with LockTimeoutError naming this process", async () => {
    const path = join(makeTempDir(), "x.lock");
    const a = fileLock(path);
    const b = fileLock(path, 300);
    let release!: () => void;
    const held = a.run(() => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 10));
    expect(lockHolders(path).map((h) => h.pid)).toEqual([process.pid]);
    const e = await b.run(() => "never").catch((err: unknown) => err);
    expect(isLockTimeoutError(e)).toBe(true);
    expect((e as Error).message).toContain(path);
    expect((e as Error).message).toContain(`pid ${process.pid}`);
    release();
    await held;
    expect(await b.run(() => "now")).toBe("now");
    expect(lockHolders(path)).toEqual([]);
  });

  it("refuses work after close()", async () => {
    const lock = fileLock(join(makeTempDir(), "x.lock"));
    lock.close();
    await expect(lock.run(() => 1)).rejects.toThrow(/closed/);
  });

  it("InProcessLock orders callers too", async () => {
    const lock = new InProcessLock();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map((n) => lock.run(async () => {
      await new Promise((r) => setTimeout(r, 3 - n));
      order.push(n);
    })));
    expect(order).toEqual([1, 2, 3]);
  });
});

describe("withRetry / backoffDelay", () => {
  it("grows the delay by the backoff factor, capped", () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, 100, 1.5))).toEqual([100, 150, 225, 337.5]);
    expect(backoffDelay(10, 100, 2, 1000)).toBe(1000);
  });

  it("retries retryable errors with backoff, then gives up with the last error", async () => {
    const clock = new ManualClock();
    const delays: number[] = [];
    let calls = 0;
    const p = withRetry(() => {
      calls++;
      throw Object.assign(new Error("busy"), { code: "SQLITE_BUSY" });
    }, { attempts: 3, backoffFactor: 2, baseDelayMs: 50, clock, onRetry: (_e, _n, d) => delays.push(d) });
    await expect(clock.drive(p)).rejects.toThrow("busy");
    expect(calls).toBe(3);
    expect(delays).toEqual([50, 100]);
  });

  it("does not retry an error that is not retryable", async () => {
    let calls = 0;
    await expect(withRetry(() => {
      calls++;
      throw new Error("bad input");
    }, { attempts: 5, backoffFactor: 2, isRetryable: () => false })).rejects.toThrow("bad input");
    expect(calls).toBe(1);
  });

  it("returns the first success", async () => {
    const clock = new ManualClock();
    let calls = 0;
    const p = withRetry(() => (++calls < 3 ? Promise.reject(new Error("x")) : "ok"), { attempts: 5, backoffFactor: 1.5, clock });
    expect(await clock.drive(p)).toBe("ok");
    expect(calls).toBe(3);
  });
});

/**
 * Time behind a small interface, so tests can drive it (see test/helpers/manual-clock.ts).
 * All timestamps in this project are integer milliseconds since the epoch.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** A clock that never jumps (performance.now()), for noticing jumps of `now()`; absent = trust now(). */
  monotonic?(): number;
  /** `now()` when `monotonic()` read 0 (the process's start: performance.timeOrigin). */
  monotonicOrigin?(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  monotonicOrigin: () => performance.timeOrigin,
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      // even a zero wait yields to the event loop, so a loop of cycles never starves timers and signals
      if (ms <= 0) return void setImmediate(resolve);
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

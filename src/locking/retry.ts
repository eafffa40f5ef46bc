/** Retry with exponential backoff: delay = baseDelayMs * backoffFactor^(attempt-1). */
import { systemClock, type Clock } from "../clock/index.js";

export interface RetryOptions {
  /** Total attempts, the first included. */
  attempts: number;
  backoffFactor: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  isRetryable?: (e: unknown) => boolean;
  onRetry?: (e: unknown, attempt: number, delayMs: number) => void;
  clock?: Clock;
  signal?: AbortSignal;
}

export function backoffDelay(attempt: number, base: number, factor: number, max = Infinity): number {
  return Math.min(max, base * factor ** Math.max(0, attempt - 1));
}

export async function withRetry<T>(fn: (attempt: number) => T | Promise<T>, opts: RetryOptions): Promise<T> {
  const clock = opts.clock ?? systemClock;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (e) {
      const retryable = opts.isRetryable ? opts.isRetryable(e) : true;
      if (!retryable || attempt >= opts.attempts || opts.signal?.aborted) throw e;
      const delay = backoffDelay(attempt, opts.baseDelayMs ?? 100, opts.backoffFactor, opts.maxDelayMs);
      opts.onRetry?.(e, attempt, delay);
      await clock.sleep(delay, opts.signal);
    }
  }
}

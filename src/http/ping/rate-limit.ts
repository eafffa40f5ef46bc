/**
 * A fixed-window request counter per key (the client address): at most `limit` per `windowMs`.
 * In memory, per server process; windows of keys that went quiet are dropped as the map is swept.
 */
import type { Clock } from "../../clock/index.js";

export interface RateLimitVerdict {
  ok: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterS: number;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(private readonly limit: number, private readonly windowMs: number, private readonly clock: Pick<Clock, "now">) {}

  /** Counts one request for `key`; `ok` false once the window's limit is reached. */
  take(key: string): RateLimitVerdict {
    const now = this.clock.now();
    this.sweep(now);
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    const retryAfterS = Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000));
    if (w.count >= this.limit) return { ok: false, retryAfterS };
    w.count++;
    return { ok: true, retryAfterS };
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(k);
  }
}

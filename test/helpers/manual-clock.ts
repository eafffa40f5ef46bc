/**
 * ManualClock: a Clock whose time moves only when the test says so. `sleep()` resolves when
 * `advance()` passes its deadline, or at once when its signal aborts (like systemClock).
 */
import type { Clock } from "../../src/clock/index.js";

interface Sleeper {
  until: number;
  resolve: () => void;
}

export class ManualClock implements Clock {
  private sleepers: Sleeper[] = [];

  constructor(private t = 1_700_000_000_000) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const sleeper: Sleeper = { until: this.t + ms, resolve };
      const onAbort = () => this.wake(sleeper);
      sleeper.resolve = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.sleepers.push(sleeper);
    });
  }

  /** Moves time forward and wakes every sleeper whose deadline has come. */
  advance(ms: number): void {
    this.t += ms;
    for (const s of this.sleepers.filter((x) => x.until <= this.t)) this.wake(s);
  }

  set(t: number): void {
    this.advance(t - this.t);
  }

  /** Moves time to the earliest pending sleep's deadline (waking it); false when nobody sleeps. */
  advanceToNextSleep(): boolean {
    if (this.sleepers.length === 0) return false;
    this.set(Math.min(...this.sleepers.map((s) => s.until)));
    return true;
  }

  /**
   * Runs `work` to its end, jumping time forward whenever everything left is asleep on this
   * clock: a graph whose `wait` node sleeps 30 s finishes in milliseconds.
   */
  async drive<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(() => (settled = true), () => (settled = true));
    while (!settled) {
      // let pending I/O (SQLite, the lock) finish before deciding everyone is asleep
      await new Promise((r) => setTimeout(r, 2));
      if (!settled) this.advanceToNextSleep();
    }
    return work;
  }

  /** Sleeps not yet woken (lets a test wait until a graph reaches its `wait` node). */
  get pendingSleeps(): number {
    return this.sleepers.length;
  }

  private wake(s: Sleeper): void {
    const i = this.sleepers.indexOf(s);
    if (i < 0) return;
    this.sleepers.splice(i, 1);
    s.resolve();
  }
}

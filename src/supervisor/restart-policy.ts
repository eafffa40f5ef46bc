/**
 * When to restart an agent: exponential backoff (base × BACKOFF_FACTOR^(n-1), capped), reset after
 * a stable run, and a budget of at most `budget` restarts within `windowMs`; past it, give up
 * (the agent is left `failed` until someone asks for a restart). Pure: time is passed in.
 */
import type { Config } from "../config/index.js";
import { backoffDelay } from "../locking/index.js";

export interface RestartPolicyOptions {
  budget: number;
  windowMs: number;
  baseMs: number;
  factor: number;
  maxMs: number;
  /** A run at least this long resets the backoff. */
  stableAfterMs: number;
}

export type RestartDecision =
  | { action: "restart"; attempt: number; delayMs: number; inWindow: number }
  | { action: "give-up"; inWindow: number };

interface AgentHistory {
  consecutive: number;
  restarts: number[];
}

export class RestartPolicy {
  private readonly history = new Map<string, AgentHistory>();

  constructor(readonly opts: RestartPolicyOptions) {}

  /** Decides what to do about `name`, whose last run began at `runStartedAt` and ended `now`. */
  next(name: string, now: number, runStartedAt: number): RestartDecision {
    const h = this.history.get(name) ?? { consecutive: 0, restarts: [] };
    this.history.set(name, h);
    if (now - runStartedAt >= this.opts.stableAfterMs) h.consecutive = 0;
    h.restarts = h.restarts.filter((t) => now - t < this.opts.windowMs);
    if (h.restarts.length >= this.opts.budget) return { action: "give-up", inWindow: h.restarts.length };
    h.consecutive++;
    h.restarts.push(now);
    const delayMs = Math.round(backoffDelay(h.consecutive, this.opts.baseMs, this.opts.factor, this.opts.maxMs));
    return { action: "restart", attempt: h.consecutive, delayMs, inWindow: h.restarts.length };
  }

  /** Restarts the budget still allows `name` at `now` (without counting one). */
  remaining(name: string, now: number): number {
    const restarts = this.history.get(name)?.restarts ?? [];
    return this.opts.budget - restarts.filter((t) => now - t < this.opts.windowMs).length;
  }

  /** Forgets the history of `name` (a restart asked for by a person starts afresh). */
  reset(name: string): void {
    this.history.delete(name);
  }
}

/**
 * The policy RESTART_BUDGET, RESTART_WINDOW, BACKOFF_FACTOR and RESTART_BACKOFF_MAX configure: the
 * first retry after at most a second, and a run that lasted ten intervals (or two thresholds) is stable.
 */
export function restartPolicyFor(c: Config): RestartPolicy {
  return new RestartPolicy({
    budget: c.restartBudget,
    windowMs: c.restartWindowMs,
    baseMs: Math.min(1000, c.heartbeatIntervalMs),
    factor: c.backoffFactor,
    maxMs: c.restartBackoffMaxMs,
    stableAfterMs: Math.max(10 * c.heartbeatIntervalMs, 2 * c.staleThresholdMs),
  });
}

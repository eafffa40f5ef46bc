/**
 * PROACTIVE_RESTART=predicted: an agent of ours that is `degrading` (a signal rising steadily
 * towards its limit, src/views/degrading.ts) with the soonest estimate within PROACTIVE_RESTART_LEAD
 * is restarted before it gets there. Gently: SIGTERM, which the agent runtime handles between
 * steps (the current step finishes, the run is checkpointed, state `stopped`), and the supervisor's
 * exit handler restarts it like any other exit, counted in the restart budget, with the reason
 * "predicted: RSS limit in 6 min" on the transition. Never more than one agent at a time (the next
 * waits until the restarted one is active again), never the last restart of the budget (one is
 * kept for a real crash), never while a silence with --hold-restarts holds the agent.
 */
import type { Logger } from "../logging/index.js";
import type { AgentRecord, Silence } from "../storage/index.js";
import { limitPhrase, type DegradingView } from "../views/degrading.js";
import type { AgentChild } from "./child.js";
import { restartHold } from "./holds.js";

/** Restarts a proactive restart leaves in the budget for a real crash. */
export const BUDGET_RESERVE = 1;

export interface ProactiveInput {
  now: number;
  own: ReadonlyMap<string, AgentRecord>;
  children: ReadonlyMap<string, AgentChild>;
  /** PROACTIVE_RESTART_LEAD. */
  leadMs: number;
  /** The agent's most urgent degrading signal in its current run, or null. */
  degrading: (agent: AgentRecord) => Promise<DegradingView | null>;
  /** Restarts the budget still allows the agent now. */
  budgetLeft: (name: string, now: number) => number;
  /** Read only when an agent qualifies. */
  activeSilences: () => Promise<Silence[]>;
  /** Agents left alone (held, or the budget too low): kept between ticks so each is logged once per episode. */
  waiting: Map<string, string>;
  log: Logger;
  /** Stops the agent gracefully with this reason; its exit handler restarts it. */
  restart: (name: string, why: string) => void;
}

/** The name restarted, if any (at most one per call). */
export async function restartPredicted(i: ProactiveInput): Promise<string | undefined> {
  let silences: Silence[] | undefined;
  const seen = new Set<string>();
  for (const [name, a] of i.own) {
    const child = i.children.get(name);
    if (!child || child.pid !== a.pid || a.state !== "active" || child.activeAt === undefined || child.stopReason || child.restartNow) continue;
    const d = await i.degrading(a);
    if (!d || d.soonestMs > i.leadMs) continue;
    seen.add(name);
    const why = `predicted: ${limitPhrase(d)}`;
    silences ??= await i.activeSilences();
    const hold = restartHold(name, silences);
    const left = i.budgetLeft(name, i.now);
    const blocked = hold ? `silence ${hold.id} (${hold.pattern}) holds its restarts until ${new Date(hold.until).toISOString()}`
      : left <= BUDGET_RESERVE ? `only ${left} restart(s) left in its budget, kept for a crash` : undefined;
    if (blocked) {
      if (i.waiting.get(name) !== blocked) i.log.info(`${name} is degrading (${d.text}), but is not restarted: ${blocked}`);
      i.waiting.set(name, blocked);
      continue;
    }
    i.waiting.delete(name);
    i.log.warn(`${name} (pid ${child.pid}) ${d.text}: restarting it before it gets there (after its current step)`, { agent: name, signal: d.signal, timeToLimitMs: d.timeToLimitMs });
    i.restart(name, why);
    return name;
  }
  for (const name of i.waiting.keys()) if (!seen.has(name)) i.waiting.delete(name);
  return undefined;
}

export type ProactiveSettings = Omit<ProactiveInput, "now" | "own" | "waiting"> & {
  /** How often to look: the samples' pace, HEARTBEAT_INTERVAL. */
  everyMs: number;
  /** Agents the supervisor gave up on (a proactive restart that ends there frees the slot). */
  gaveUp: ReadonlySet<string>;
};

/** The supervisor's side of PROACTIVE_RESTART: one agent at a time, until it is active again under its new pid. */
export class ProactiveRestarts {
  private current: { name: string; pid: number } | undefined;
  private readonly waiting = new Map<string, string>();
  private lastCheck = -Infinity;

  constructor(private readonly s: ProactiveSettings) {}

  async check(now: number, own: ReadonlyMap<string, AgentRecord>): Promise<void> {
    if (this.current) {
      const { name, pid } = this.current;
      const child = this.s.children.get(name);
      const back = child !== undefined && child.pid !== pid && child.activeAt !== undefined;
      if (!back && !this.s.gaveUp.has(name)) return;
      this.current = undefined;
    }
    const sinceLast = now - this.lastCheck;
    if (sinceLast >= 0 && sinceLast < this.s.everyMs) return;
    this.lastCheck = now;
    const name = await restartPredicted({ ...this.s, now, own, waiting: this.waiting });
    const child = name === undefined ? undefined : this.s.children.get(name);
    if (child) this.current = { name: child.spec.name, pid: child.pid };
  }
}

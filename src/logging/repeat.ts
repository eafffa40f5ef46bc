/**
 * One problem that repeats (a heartbeat write that keeps failing, a source that stays unreachable)
 * is one story in the log, not a line per attempt: the first failure is logged, later ones are
 * counted (a reminder with the count every `remindEveryMs`, a new line when the reason changes),
 * and one line says when it ended, after how many failures and how long.
 */
import { systemClock, type Clock } from "../clock/index.js";
import type { Logger } from "./index.js";

export interface RepeatedProblemOptions {
  clock?: Clock;
  /** While it lasts, one reminder line this often. @defaultValue 5 minutes */
  remindEveryMs?: number;
  /** Level of the failure lines (the end is always `info`). @defaultValue "warn" */
  level?: "warn" | "error";
}

interface Episode {
  since: number;
  count: number;
  reason: string;
  kind: string;
  lastLineAt: number;
}

/**
 * What makes a failure the same problem: its error code when it has one (a LOCK_TIMEOUT whose
 * holder's description changes is the same problem), else its message with the numbers taken out.
 */
function kindOf(error: unknown, reason: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : reason.replace(/\d+(\.\d+)?/g, "#");
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m ${s % 60}s` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

export class RepeatedProblem {
  private episode: Episode | undefined;
  private readonly clock: Clock;
  private readonly remindEveryMs: number;
  private readonly level: "warn" | "error";

  /** `what` names the operation: "supervisor heartbeat" → "supervisor heartbeat failed: …". */
  constructor(private readonly logger: Logger, private readonly what: string, o: RepeatedProblemOptions = {}) {
    this.clock = o.clock ?? systemClock;
    this.remindEveryMs = o.remindEveryMs ?? 5 * 60_000;
    this.level = o.level ?? "warn";
  }

  get failing(): boolean {
    return this.episode !== undefined;
  }

  /** Failures in the current episode (0 when none). */
  get count(): number {
    return this.episode?.count ?? 0;
  }

  /** One failed attempt: an error (or its text). `hint` (what to do) is shown on the first line only. */
  failed(error: unknown, o: { meta?: Record<string, unknown>; hint?: string } = {}): void {
    const now = this.clock.now();
    const reason = reasonOf(error);
    const kind = kindOf(error, reason);
    const meta = o.meta ?? {};
    const e = this.episode;
    if (!e) {
      this.episode = { since: now, count: 1, reason, kind, lastLineAt: now };
      this.logger.log(this.level, `${this.what} failed: ${reason}${o.hint ? `; ${o.hint}` : ""} (repeats are counted; one line when it works again)`, { ...meta, repeat: 1 });
      return;
    }
    e.count++;
    e.reason = reason;
    if (kind !== e.kind) {
      this.logger.log(this.level, `${this.what} failed: ${reason} (the reason changed; ${e.count} failures in ${duration(now - e.since)})`, { ...meta, repeat: e.count });
      e.kind = kind;
      e.lastLineAt = now;
    } else if (now - e.lastLineAt >= this.remindEveryMs) {
      this.logger.log(this.level, `${this.what} still failing: ${e.count} failures in ${duration(now - e.since)}: ${reason}`, { ...meta, repeat: e.count });
      e.lastLineAt = now;
    }
  }

  /** The operation worked: if it was failing, one line saying the problem ended. */
  recovered(meta: Record<string, unknown> = {}): void {
    const e = this.episode;
    if (!e) return;
    this.episode = undefined;
    this.logger.info(`${this.what} works again after ${e.count} failure(s) in ${duration(this.clock.now() - e.since)} (last: ${e.reason})`, { ...meta, repeat: e.count });
  }
}

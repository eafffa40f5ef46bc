/**
 * The summary's counts per state (migration 011): the folded counts plus the deltas row triggers
 * appended since, folded into the counts at most every 5 s. Folding is best effort: a delta not
 * folded yet still counts, so a failed fold changes no answer.
 */
import { AGENT_STATES, type AgentState, type StoreSummary } from "../types.js";
import type { PgCore } from "./core.js";
import type { Statements } from "./statements.js";

const FOLD_EVERY_MS = 5_000;

export class StateCounts {
  private folding: Promise<void> | undefined;
  private foldedAt = -Infinity;
  private closed = false;

  constructor(private readonly core: PgCore, private readonly sql: Statements) {}

  async summary(): Promise<StoreSummary> {
    const byState = Object.fromEntries(AGENT_STATES.map((st) => [st, 0])) as Record<AgentState, number>;
    let total = 0;
    for (const r of (await this.core.query<{ state: AgentState; n: number }>({ text: this.sql.summary })).rows) {
      byState[r.state] = r.n;
      total += r.n;
    }
    this.foldNowAndThen();
    return { total, byState };
  }

  /** Waits for a fold under way (before the pool ends). */
  async close(): Promise<void> {
    this.closed = true;
    await this.folding;
  }

  private foldNowAndThen(): void {
    const now = performance.now();
    if (this.folding || this.closed || now - this.foldedAt < FOLD_EVERY_MS) return;
    this.foldedAt = now;
    this.folding = this.core.query({ text: this.sql.foldStateDeltas }).then(() => undefined, () => undefined).finally(() => {
      this.folding = undefined;
    });
  }
}

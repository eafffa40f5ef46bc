/**
 * Our agents without a process say so: a record still live while the supervisor runs no process
 * for it (its exit's write failed, or someone else wrote it) becomes `recovering` (restart pending)
 * or `failed` (budget spent). Run every tick, so a bookkeeping write that failed is retried until it lands.
 */
import type { AgentRecord, AgentState } from "../storage/index.js";

export interface ReconcileInput {
  /** Our agents' records, updated in place to what was written. */
  own: Map<string, AgentRecord>;
  /** Whether the supervisor runs a process for the agent now. */
  hasProcess: (name: string) => boolean;
  /** Agents whose restart budget is spent. */
  gaveUp: ReadonlySet<string>;
  write: (name: string, state: AgentState, reason: string) => Promise<void>;
}

export async function reconcileRecords(i: ReconcileInput): Promise<void> {
  for (const [name, a] of i.own) {
    if (i.hasProcess(name)) continue;
    const gaveUp = i.gaveUp.has(name);
    if (!["initializing", "active", "error", ...(gaveUp ? ["recovering"] : [])].includes(a.state)) continue;
    const state: AgentState = gaveUp ? "failed" : "recovering";
    const why = gaveUp ? "restart budget spent" : "restart pending";
    await i.write(name, state, `supervisor: no process runs it (${why}); the record said ${a.state}`);
    i.own.set(name, { ...a, state });
  }
}

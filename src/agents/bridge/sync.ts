/**
 * The bridge's work as plain functions (the graph's nodes and `bg-agents traces --sync` use them):
 * read the runs since the project's cursor, store them with the new cursor in one transaction,
 * recompute per-agent error rate and latency, prune old summaries.
 */
import type { RunSummary, StateStore, TraceAgentStats } from "../../storage/index.js";
import type { Bridge } from "./options.js";

export interface ReadResult {
  since: number;
  runs: RunSummary[];
  /** Where the next read starts. */
  cursor: number;
}

/**
 * The next cursor: the newest start read, held back at the oldest run still pending (if it began
 * less than `holdMs` ago) so its end is read again later. Reads use `start >= cursor`; the run at
 * the cursor is read again and stored once (keyed by run id).
 */
export function nextCursor(since: number, runs: RunSummary[], now: number, holdMs: number): number {
  let cursor = since;
  for (const r of runs) cursor = Math.max(cursor, r.startedAt);
  for (const r of runs) if (r.status === "pending" && now - r.startedAt < holdMs) cursor = Math.min(cursor, r.startedAt);
  return cursor;
}

/** Reads the runs since the cursor (or since `lookbackMs` ago on the first read). Throws when LangSmith fails. */
export async function readNewRuns(store: StateStore, bridge: Bridge, now: number): Promise<ReadResult> {
  const source = bridge.source;
  if (!source) throw new Error("the bridge has no run source (LANGSMITH_API_KEY is not set)");
  const since = (await store.traces.getCursor(source.project)) ?? now - bridge.lookbackMs;
  const runs = await source.listSince(since, bridge.pageSize);
  return { since, runs, cursor: nextCursor(since, runs, now, bridge.pendingHoldMs) };
}

export async function storeRuns(store: StateStore, project: string, read: Pick<ReadResult, "runs" | "cursor">) {
  return store.traces.saveRuns(project, read.runs, read.cursor);
}

/** Per-agent error rate and latency over the stats window; prunes old summaries when `prune`. */
export async function summarize(store: StateStore, bridge: Bridge, now: number, prune: boolean): Promise<{ stats: TraceAgentStats[]; pruned: number }> {
  const pruned = prune ? await store.traces.pruneRuns(now - bridge.retentionMs) : 0;
  const stats = await store.traces.refreshStats(bridge.statsWindowMs);
  return { stats, pruned };
}

export interface SyncResult extends ReadResult {
  inserted: number;
  updated: number;
  stats: TraceAgentStats[];
}

/** One read → store → summarize pass (for `bg-agents traces --sync`). */
export async function syncOnce(store: StateStore, bridge: Bridge, now: number): Promise<SyncResult> {
  const read = await readNewRuns(store, bridge, now);
  const saved = await storeRuns(store, bridge.source!.project, read);
  const { stats } = await summarize(store, bridge, now, false);
  return { ...read, ...saved, stats };
}

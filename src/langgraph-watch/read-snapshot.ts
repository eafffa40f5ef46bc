/**
 * One read of a LangGraph server through the SDK: its `busy` and `error` threads, each thread's
 * recent runs, and for busy threads the time of the newest checkpoint (the JS server touches
 * neither the run nor the thread while a run moves from step to step; the checkpoint does).
 */
import type { Client, Run, Thread } from "@langchain/langgraph-sdk";
import type { ServerRun, ServerSnapshot, ServerThread } from "./types.js";

export interface SnapshotLimits {
  /** Threads read per status. @defaultValue 100 */
  threads?: number;
  /** Runs read per thread. @defaultValue 20 */
  runsPerThread?: number;
}

const time = (s: string | undefined | null): number => {
  const t = s ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? t : 0;
};

function errorText(e: unknown): string | undefined {
  if (e == null || e === "") return undefined;
  if (typeof e === "string") return e;
  const o = e as { message?: unknown; error?: unknown };
  if (typeof o.message === "string") return typeof o.error === "string" ? `${o.error}: ${o.message}` : o.message;
  return JSON.stringify(e);
}

export function toRun(r: Run): ServerRun {
  return { runId: r.run_id, threadId: r.thread_id, assistantId: r.assistant_id, status: r.status, createdAt: time(r.created_at), updatedAt: time(r.updated_at) };
}

/** One thread with its recent runs (and, when busy, its newest checkpoint's time). */
export async function readThread(client: Client, t: Thread, runsPerThread: number): Promise<ServerThread> {
  const [runs, state] = await Promise.all([
    client.runs.list(t.thread_id, { limit: runsPerThread }),
    t.status === "busy" ? client.threads.getState(t.thread_id).catch(() => undefined) : Promise.resolve(undefined),
  ]);
  const graphId = t.metadata?.graph_id;
  return {
    threadId: t.thread_id,
    status: t.status,
    updatedAt: Math.max(time(t.updated_at), time(t.state_updated_at)),
    graphId: typeof graphId === "string" ? graphId : undefined,
    checkpointAt: state?.created_at ? time(state.created_at) : undefined,
    error: errorText(t.error),
    runs: runs.map(toRun),
  };
}

export async function readSnapshot(client: Client, limits: SnapshotLimits = {}): Promise<ServerSnapshot> {
  const limit = limits.threads ?? 100;
  const [busy, errored] = await Promise.all([
    client.threads.search({ status: "busy", limit }),
    client.threads.search({ status: "error", limit }),
  ]);
  const threads = await Promise.all([...busy, ...errored].map((t) => readThread(client, t, limits.runsPerThread ?? 20)));
  return { threads };
}

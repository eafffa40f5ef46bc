/**
 * Classifies a server snapshot: a run `running`/`pending` whose newest sign of progress is older
 * than the bound is stuck (a server that died mid-run leaves its run `running` and its thread
 * blocked for ever, even after a restart); a thread in `error` shows its newest errored run; a
 * thread `busy` past the bound with no active run is shown on its own. Pure: `now` is handed in.
 */
import type { Finding, FindingCounts, ServerRun, ServerSnapshot, ServerThread } from "./types.js";

const ACTIVE = new Set(["running", "pending"]);

export interface ClassifyOptions {
  now: number;
  stuckAfterMs: number;
}

/** The newest sign of progress of a run: its own update, its thread's, or the thread's newest checkpoint. */
export function lastProgressAt(run: ServerRun, thread: ServerThread): number {
  return Math.max(run.updatedAt, run.createdAt, thread.updatedAt, thread.checkpointAt ?? 0);
}

const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

function activeRun(run: ServerRun, thread: ServerThread, o: ClassifyOptions): Finding {
  const progress = lastProgressAt(run, thread);
  const idleMs = Math.max(0, o.now - progress);
  const stuck = idleMs > o.stuckAfterMs;
  const reason = !stuck
    ? `${run.status}, last progress ${secs(idleMs)} ago`
    : run.status === "pending"
      ? `pending for ${secs(idleMs)} without starting: the thread is blocked (by another run, or by a server that stopped working on it)`
      : `running for ${secs(idleMs)} without progress (no run, thread or checkpoint update): its worker may have died with the server; cancel it to unblock the thread`;
  return {
    kind: stuck ? "stuck-run" : "running",
    threadId: thread.threadId, runId: run.runId, assistantId: run.assistantId, graphId: thread.graphId,
    status: run.status, createdAt: run.createdAt, lastProgressAt: progress, idleMs, reason,
  };
}

function erroredRun(thread: ServerThread, o: ClassifyOptions): Finding {
  const run = thread.runs.filter((r) => r.status === "error").sort((a, b) => b.createdAt - a.createdAt)[0];
  const at = run ? Math.max(run.updatedAt, run.createdAt) : thread.updatedAt;
  return {
    kind: "errored-run",
    threadId: thread.threadId, runId: run?.runId, assistantId: run?.assistantId, graphId: thread.graphId,
    status: run?.status ?? thread.status, createdAt: run?.createdAt ?? thread.updatedAt, lastProgressAt: at,
    idleMs: Math.max(0, o.now - at), error: thread.error,
    reason: thread.error ? `the run failed: ${thread.error}` : "the thread's last run failed",
  };
}

function busyThread(thread: ServerThread, o: ClassifyOptions): Finding | undefined {
  const progress = Math.max(thread.updatedAt, thread.checkpointAt ?? 0);
  const idleMs = Math.max(0, o.now - progress);
  if (idleMs <= o.stuckAfterMs) return undefined;
  return {
    kind: "busy-thread",
    threadId: thread.threadId, graphId: thread.graphId, status: thread.status,
    createdAt: thread.updatedAt, lastProgressAt: progress, idleMs,
    reason: `busy for ${secs(idleMs)} with no pending or running run (the server did not reset it; a new run on it will still start)`,
  };
}

/** Stuck runs first (longest idle first), then errored runs, busy threads, and runs in progress. */
const ORDER: Record<Finding["kind"], number> = { "stuck-run": 0, "errored-run": 1, "busy-thread": 2, running: 3 };

export function classify(snapshot: ServerSnapshot, o: ClassifyOptions): Finding[] {
  const out: Finding[] = [];
  for (const thread of snapshot.threads) {
    const active = thread.runs.filter((r) => ACTIVE.has(r.status));
    for (const run of active) out.push(activeRun(run, thread, o));
    if (thread.status === "error") {
      out.push(erroredRun(thread, o));
    } else if (thread.status === "busy" && active.length === 0) {
      const f = busyThread(thread, o);
      if (f) out.push(f);
    }
  }
  return out.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || b.idleMs - a.idleMs);
}

export function countFindings(findings: readonly Finding[]): FindingCounts {
  const n = (k: Finding["kind"]) => findings.filter((f) => f.kind === k).length;
  return { stuck: n("stuck-run"), running: n("running"), errored: n("errored-run"), busyThreads: n("busy-thread") };
}

/**
 * The LangGraph watcher: reads the server on demand (at most once per `pollMs`, concurrent
 * callers share one read), classifies what it read, and cancels a stuck run. It lives in the
 * dashboard process (and in `bg-agents langgraph-runs`), never in agent processes. A server that
 * is down is a report with `reachable: false` and the last findings, plus one log line when it
 * goes down and one when it is back; the next read after `pollMs` tries again.
 */
import type { Client } from "@langchain/langgraph-sdk";
import { systemClock, type Clock } from "../clock/index.js";
import type { Logger } from "../logging/index.js";
import { RepeatedProblem } from "../logging/repeat.js";
import { classify, countFindings, lastProgressAt } from "./classify.js";
import { displayUrl } from "./display-url.js";
import { LangGraphWatchError } from "./errors.js";
import { readSnapshot, readThread, toRun, type SnapshotLimits } from "./read-snapshot.js";
import type { LangGraphRunsReport, ServerSnapshot } from "./types.js";

export interface LangGraphWatcherOptions {
  apiUrl: string;
  apiKey?: string;
  /** A run active this long without progress is stuck. */
  stuckAfterMs: number;
  /** Reads of the server at most this often. */
  pollMs: number;
  logger: Logger;
  clock?: Clock;
  limits?: SnapshotLimits;
  /** Per request. @defaultValue 10_000 */
  requestTimeoutMs?: number;
  /** How long a cancel waits for the run to leave running/pending. @defaultValue 3_000 */
  cancelSettleMs?: number;
}

export type CancelMode = "interrupt" | "delete";

export interface CancelOutcome {
  outcome: "cancelled" | "deleted";
  threadId: string;
  runId: string;
  /** The run's status after the cancel (for a delete: before it). */
  status: string;
}

const ACTIVE = new Set(["running", "pending"]);

/** Our typed error for what the SDK threw: 404 → not found, other 4xx → refused, the rest → unreachable. */
function upstreamError(e: unknown, what: string): LangGraphWatchError {
  const status = (e as { status?: unknown } | null)?.status;
  const cause = (e as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = `${(e as Error)?.message ?? String(e)}${cause?.code ? ` (${String(cause.code)})` : ""}`;
  if (status === 404) return new LangGraphWatchError("LANGGRAPH_RUN_NOT_FOUND", `${what}: the LangGraph server has no such thread or run`, undefined, { cause: e });
  if (typeof status === "number" && status >= 400 && status < 500) {
    return new LangGraphWatchError("LANGGRAPH_REFUSED", `${what}: the LangGraph server refused: ${detail}${status === 401 || status === 403 ? "; check LANGGRAPH_API_KEY" : ""}`, undefined, { cause: e });
  }
  return new LangGraphWatchError("LANGGRAPH_UNREACHABLE", `${what}: ${detail}`, undefined, { cause: e });
}

export class LangGraphWatcher {
  readonly url: string;
  private client: Promise<Client> | undefined;
  private readonly clock: Clock;
  private readonly problem: RepeatedProblem;
  private snapshot: ServerSnapshot | undefined;
  private lastOkAt: number | undefined;
  private checkedAt: number | undefined;
  private lastError: string | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly o: LangGraphWatcherOptions) {
    this.url = displayUrl(o.apiUrl);
    this.clock = o.clock ?? systemClock;
    const logger = o.logger.child({ module: "langgraph-watch" });
    this.problem = new RepeatedProblem(logger, `reading the LangGraph server ${this.url}`, { clock: this.clock });
  }

  /** The SDK's client, imported on first use: the SDK (and the @langchain/core it loads) costs the dashboard about 30 MB. */
  private sdk(): Promise<Client> {
    return (this.client ??= import("./client.js").then((m) => m.createLangGraphClient({ apiUrl: this.o.apiUrl, apiKey: this.o.apiKey, timeoutMs: this.o.requestTimeoutMs })));
  }

  /** The current report: from the cache when the last read is younger than `pollMs` (or `fresh` forces a read). */
  async report(o: { fresh?: boolean } = {}): Promise<LangGraphRunsReport> {
    const now = this.clock.now();
    if (o.fresh || this.checkedAt === undefined || now - this.checkedAt >= this.o.pollMs) await this.read();
    else if (this.inFlight) await this.inFlight;
    return this.build();
  }

  private read(): Promise<void> {
    this.inFlight ??= (async () => {
      this.checkedAt = this.clock.now();
      try {
        this.snapshot = await readSnapshot(await this.sdk(), this.o.limits);
        this.lastOkAt = this.clock.now();
        this.lastError = undefined;
        this.problem.recovered();
      } catch (e) {
        const err = upstreamError(e, "reading threads and runs");
        this.lastError = err.message;
        this.problem.failed(err, { hint: "is it running? (LANGGRAPH_API_URL); the watcher tries again on the next read" });
      }
    })().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private build(): LangGraphRunsReport {
    const reachable = this.lastError === undefined;
    // while the server cannot be read, the findings stay as they were when it last could
    const at = reachable ? this.clock.now() : (this.lastOkAt ?? this.clock.now());
    const findings = this.snapshot ? classify(this.snapshot, { now: at, stuckAfterMs: this.o.stuckAfterMs }) : [];
    return {
      enabled: true, url: this.url, reachable,
      checkedAt: this.checkedAt ?? this.clock.now(),
      ...(this.lastOkAt !== undefined ? { lastOkAt: this.lastOkAt } : {}),
      ...(this.lastError !== undefined ? { error: this.lastError } : {}),
      stuckAfterMs: this.o.stuckAfterMs,
      findings, counts: countFindings(findings),
    };
  }

  /**
   * `interrupt`: runs.cancel, then waits up to `cancelSettleMs` for the run to end; a run no worker
   * holds (its server died mid-run) stays active: LANGGRAPH_RUN_STILL_ACTIVE. `delete`: for a run
   * that is stuck now, runs.delete (the run and its checkpoints go; the thread can run again).
   */
  async cancel(threadId: string, runId: string, mode: CancelMode = "interrupt"): Promise<CancelOutcome> {
    try {
      return mode === "delete" ? await this.deleteStuck(threadId, runId) : await this.interrupt(threadId, runId);
    } finally {
      this.checkedAt = undefined; // the next report reads the server again
    }
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw upstreamError(e, what);
    }
  }

  private async interrupt(threadId: string, runId: string): Promise<CancelOutcome> {
    await this.call("cancelling the run", async () => (await this.sdk()).runs.cancel(threadId, runId, false, "interrupt"));
    const deadline = this.clock.now() + (this.o.cancelSettleMs ?? 3_000);
    for (;;) {
      const run = await this.call("reading the run", async () => (await this.sdk()).runs.get(threadId, runId));
      if (!ACTIVE.has(run.status)) return { outcome: "cancelled", threadId, runId, status: run.status };
      if (this.clock.now() >= deadline) {
        throw new LangGraphWatchError("LANGGRAPH_RUN_STILL_ACTIVE",
          `The LangGraph server accepted the cancel but the run is still ${run.status}: no worker holds it (its server process probably died mid-run). ` +
            `Delete it ({"mode":"delete"}) to unblock the thread; that removes the run and the checkpoints it wrote.`, run.status);
      }
      await this.clock.sleep(200);
    }
  }

  private async deleteStuck(threadId: string, runId: string): Promise<CancelOutcome> {
    const run = await this.call("reading the run", async () => (await this.sdk()).runs.get(threadId, runId));
    if (!ACTIVE.has(run.status)) {
      throw new LangGraphWatchError("LANGGRAPH_RUN_NOT_STUCK", `The run has ended (${run.status}); nothing to delete.`, run.status);
    }
    const thread = await this.call("reading the thread", async () => {
      const client = await this.sdk();
      return readThread(client, await client.threads.get(threadId), 1);
    });
    const idleMs = this.clock.now() - lastProgressAt(toRun(run), thread);
    if (idleMs <= this.o.stuckAfterMs) {
      throw new LangGraphWatchError("LANGGRAPH_RUN_NOT_STUCK",
        `The run made progress ${Math.round(idleMs / 1000)} s ago (stuck means over ${Math.round(this.o.stuckAfterMs / 1000)} s): cancel it with {"mode":"interrupt"} instead.`, run.status);
    }
    await this.call("deleting the run", async () => (await this.sdk()).runs.delete(threadId, runId));
    return { outcome: "deleted", threadId, runId, status: run.status };
  }
}

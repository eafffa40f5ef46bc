/**
 * Where the bridge reads runs from. `LangSmithRunSource` lists a project's root runs (one per agent
 * cycle) through the `langsmith` client's `listRuns` (GET /sessions?name= to find the project, then
 * POST /runs/query), oldest first from a start time, and turns them into RunSummary rows.
 */
import { Client, type Run } from "langsmith";
import { LangSmithUnreachableError } from "../../errors/index.js";
import type { RunStatus, RunSummary } from "../../storage/index.js";
import { agentOfRun, type TracingSettings } from "../../tracing/index.js";

export interface RunSource {
  readonly project: string;
  /** Root runs that started at or after `sinceMs`, oldest first, at most `limit`. */
  listSince(sinceMs: number, limit: number): Promise<RunSummary[]>;
}

export interface LangSmithRunSourceOptions {
  /** Per request. @defaultValue 10_000 ms */
  timeoutMs?: number;
}

/**
 * A fetch that reports a network failure as LangSmithUnreachableError (status 0). The client
 * retries such failures 4 times with 1-16 s waits (15-30 s per call); the bridge backs off itself
 * and must keep heartbeating meanwhile.
 */
function failFastFetch(endpoint: string): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    try {
      return await fetch(input, init);
    } catch (e) {
      const name = (e as Error)?.name;
      if (name === "TimeoutError" || name === "AbortError") throw e;
      throw new LangSmithUnreachableError(endpoint, e);
    }
  }) as typeof fetch;
}

const toMs = (t: number | string | undefined | null): number | null => {
  if (t === undefined || t === null || t === "") return null;
  const ms = typeof t === "number" ? t : Date.parse(t);
  return Number.isFinite(ms) ? ms : null;
};

export function runStatus(run: Pick<Run, "status" | "error" | "end_time">): RunStatus {
  if (run.error || run.status === "error") return "error";
  if (run.end_time === undefined || run.end_time === null || run.status === "pending" || run.status === "running") return "pending";
  return "success";
}

/** One LangSmith run as the summary the bridge stores. */
export function toRunSummary(run: Run, project: string, hostUrl: string): RunSummary {
  const startedAt = toMs(run.start_time) ?? 0;
  const status = runStatus(run);
  const endedAt = status === "pending" ? null : toMs(run.end_time);
  return {
    runId: run.id,
    traceId: run.trace_id ?? null,
    project,
    agent: agentOfRun(run as { name?: string; tags?: string[]; extra?: Record<string, unknown> }),
    name: run.name,
    status,
    startedAt,
    endedAt,
    latencyMs: endedAt === null ? null : Math.max(0, endedAt - startedAt),
    error: run.error ? String(run.error).slice(0, 2000) : null,
    link: run.app_path ? `${hostUrl}${run.app_path}` : null,
  };
}

export class LangSmithRunSource implements RunSource {
  readonly project: string;
  private readonly client: Client;

  constructor(settings: TracingSettings, opts: LangSmithRunSourceOptions = {}) {
    this.project = settings.project;
    this.client = new Client({
      apiUrl: settings.endpoint,
      apiKey: settings.apiKey,
      timeout_ms: opts.timeoutMs ?? 10_000,
      autoBatchTracing: false,
      fetchImplementation: failFastFetch(settings.endpoint),
    });
  }

  async listSince(sinceMs: number, limit: number): Promise<RunSummary[]> {
    const host = this.client.getHostUrl();
    const out: RunSummary[] = [];
    const runs = this.client.listRuns({ projectName: this.project, isRoot: true, startTime: new Date(sinceMs), order: "asc", limit });
    for await (const run of runs) {
      out.push(toRunSummary(run, this.project, host));
      if (out.length >= limit) break;
    }
    return out;
  }
}

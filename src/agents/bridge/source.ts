/**
 * Where the bridge reads runs from. `LangSmithRunSource` lists a project's root runs (one per agent
 * cycle) through LangSmith's v2 runs API, `client.runs.query()` (POST /api/v2/runs/query): the
 * project id is resolved once by name (`readProject`, GET /sessions?name=), the cursor pages are
 * read to the end, and the runs are ordered oldest first here (the API has no order parameter).
 */
import { APIConnectionError, Client } from "langsmith";
import type { Run, RunSelectField } from "langsmith/resources";
import { isLangSmithUnreachableError, LangSmithUnreachableError } from "../../errors/index.js";
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

/** Without `selects` the v2 API returns only `id`. */
export const RUN_SELECTS: RunSelectField[] = ["ID", "NAME", "STATUS", "START_TIME", "END_TIME", "ERROR", "EXTRA", "METADATA", "TAGS", "TRACE_ID", "APP_PATH"];

/** The API takes 1-1000 runs per page. */
const MAX_PAGE_SIZE = 1000;

/**
 * A fetch that reports a network failure as LangSmithUnreachableError (status 0). The legacy
 * client's caller retries failures 4 times with 1-16 s waits (15-30 s per call) unless they carry
 * a status that is not retryable; the bridge backs off itself and must keep heartbeating meanwhile.
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

/** The v2 API's upper-case status (`SUCCESS`, `ERROR`, `PENDING`) as our RunStatus. */
export function runStatus(run: Pick<Run, "status" | "error" | "end_time">): RunStatus {
  const status = run.status?.toUpperCase();
  if (run.error || status === "ERROR") return "error";
  if (run.end_time === undefined || run.end_time === null || status === "PENDING") return "pending";
  return "success";
}

/** The run's metadata: v2 returns it as its own field; older runs keep it under `extra`. */
const metadataOf = (run: Run): Record<string, unknown> =>
  ({ ...((run.extra?.metadata as Record<string, unknown> | undefined) ?? {}), ...(run.metadata ?? {}) });

/** One LangSmith run as the summary the bridge stores. */
export function toRunSummary(run: Run & { id: string }, project: string, hostUrl: string): RunSummary {
  const startedAt = toMs(run.start_time) ?? 0;
  const status = runStatus(run);
  const endedAt = status === "pending" ? null : toMs(run.end_time);
  return {
    runId: run.id,
    traceId: run.trace_id ?? null,
    project,
    agent: agentOfRun({ name: run.name, tags: run.tags, extra: { metadata: metadataOf(run) } }),
    name: run.name ?? "",
    status,
    startedAt,
    endedAt,
    latencyMs: endedAt === null ? null : Math.max(0, endedAt - startedAt),
    error: run.error ? String(run.error).slice(0, 2000) : null,
    link: run.app_path ? `${hostUrl}${run.app_path}` : null,
  };
}

/** Oldest first; runs that started together in id order, so a page boundary is stable. */
const byStart = (a: RunSummary, b: RunSummary) => a.startedAt - b.startedAt || (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0);

/** A connection failure the v2 client wrapped: the unreachable error our fetch threw, as it was. */
function unwrap(e: unknown): unknown {
  return e instanceof APIConnectionError && isLangSmithUnreachableError(e.cause) ? e.cause : e;
}

export class LangSmithRunSource implements RunSource {
  readonly project: string;
  private readonly client: Client;
  private projectId: Promise<string> | undefined;

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

  /** The project's id, looked up once (again after a failed look-up). */
  private resolveProjectId(): Promise<string> {
    this.projectId ??= this.client.readProject({ projectName: this.project }).then((p) => p.id);
    this.projectId.catch(() => (this.projectId = undefined));
    return this.projectId;
  }

  /**
   * Reads every page since `sinceMs` (the cursor keeps that window short), then keeps the oldest
   * `limit`: the API has no order parameter, and the cursor only moves forward over what was kept.
   */
  async listSince(sinceMs: number, limit: number): Promise<RunSummary[]> {
    try {
      const projectId = await this.resolveProjectId();
      const host = this.client.getHostUrl();
      const out: RunSummary[] = [];
      const pages = this.client.runs.query({
        project_ids: [projectId],
        is_root: true,
        min_start_time: new Date(sinceMs).toISOString(),
        selects: RUN_SELECTS,
        page_size: Math.max(1, Math.min(limit, MAX_PAGE_SIZE)),
      }, { maxRetries: 0 });
      for await (const run of pages) if (run.id) out.push(toRunSummary({ ...run, id: run.id }, this.project, host));
      return out.sort(byStart).slice(0, limit);
    } catch (e) {
      throw unwrap(e);
    }
  }
}

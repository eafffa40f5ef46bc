/**
 * A local stand-in for LangSmith (node:http on 127.0.0.1, port 0), for tests: it records what the
 * `langsmith` client sends when tracing (GET /info, POST /runs/multipart with parts
 * `post.<id>[.inputs|.outputs|.extra|...]` and `patch.<id>...`, gzip or not) and answers what it
 * asks when listing runs (GET /sessions?name=, then LangSmith's v2 runs API, POST /api/v2/runs/query,
 * answered newest first in cursor pages with only the selected fields, as the real one). The old
 * POST /runs/query is not served. Runs can also be seeded.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { gunzipSync } from "node:zlib";

export type StandInRun = Record<string, unknown> & {
  id: string;
  name?: string;
  trace_id?: string;
  parent_run_id?: string | null;
  session_name?: string;
  start_time?: string | number;
  end_time?: string | number | null;
  extra?: { metadata?: Record<string, unknown> } & Record<string, unknown>;
  tags?: string[];
  error?: string | null;
};

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body?: unknown;
}

/** A stable UUID-looking project id for a project name. */
export const projectId = (name: string) => {
  const h = createHash("sha1").update(name).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const iso = (t: unknown): string | null => (t === undefined || t === null ? null : new Date(t as string | number).toISOString());

export class LangSmithStandIn {
  readonly runs = new Map<string, StandInRun>();
  readonly requests: RecordedRequest[] = [];
  /** Answer every request with this HTTP status instead (e.g. 500), when set. */
  failWith: number | undefined;
  /** Only requests to this path fail with `failWith`, when set. */
  failPath: string | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server, readonly port: number) {}

  static async start(port = 0): Promise<LangSmithStandIn> {
    let standIn: LangSmithStandIn | undefined;
    const server = createServer((req, res) => void standIn!.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => resolve());
    });
    standIn = new LangSmithStandIn(server, (server.address() as AddressInfo).port);
    server.on("connection", (s) => {
      standIn!.sockets.add(s);
      s.once("close", () => standIn!.sockets.delete(s));
    });
    return standIn;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Closes the server and every open connection (so the client sees the endpoint down at once). */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addRun(run: StandInRun): void {
    this.runs.set(run.id, { ...this.runs.get(run.id), ...run });
  }

  rootRuns(name?: string): StandInRun[] {
    return [...this.runs.values()]
      .filter((r) => !r.parent_run_id && (name === undefined || r.name === name))
      .sort((a, b) => Date.parse(iso(a.start_time)!) - Date.parse(iso(b.start_time)!));
  }

  childrenOf(id: string): StandInRun[] {
    return [...this.runs.values()].filter((r) => r.parent_run_id === id);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let raw = Buffer.concat(chunks);
    if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
    const rec: RecordedRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers };
    this.requests.push(rec);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (this.failWith && (this.failPath === undefined || this.failPath === rec.path)) return send(this.failWith, { detail: "stand-in told to fail" });
    try {
      if (rec.method === "GET" && rec.path === "/info") return send(200, { version: "0.16.14", batch_ingest_config: { use_multipart_endpoint: true } });
      if (rec.method === "POST" && rec.path === "/runs/multipart") {
        rec.body = await this.ingestMultipart(raw, String(req.headers["content-type"]));
        return send(202, {});
      }
      if (rec.method === "POST" && rec.path === "/runs/batch") {
        const body = JSON.parse(raw.toString("utf8")) as { post?: StandInRun[]; patch?: StandInRun[] };
        rec.body = body;
        for (const r of [...(body.post ?? []), ...(body.patch ?? [])]) this.addRun(r);
        return send(202, {});
      }
      if (rec.method === "GET" && rec.path === "/sessions") {
        const name = url.searchParams.get("name") ?? "default";
        return send(200, [{ id: projectId(name), name }]);
      }
      if (rec.method === "POST" && rec.path === "/api/v2/runs/query") {
        const body = JSON.parse(raw.toString("utf8")) as V2Query;
        rec.body = body;
        const problem = invalidV2Query(body);
        if (problem) return send(422, { detail: problem });
        return send(200, this.queryV2(body));
      }
      send(404, { detail: `stand-in does not serve ${rec.method} ${rec.path}` });
    } catch (e) {
      send(500, { detail: (e as Error).message });
    }
  }

  private async ingestMultipart(raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
    const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
    const parts: Record<string, unknown> = {};
    for (const [name, value] of form.entries()) {
      const text = typeof value === "string" ? value : await value.text();
      parts[name] = JSON.parse(text);
    }
    // main payloads first, then their fields (inputs, outputs, extra, ...)
    const names = Object.keys(parts).sort((a, b) => a.split(".").length - b.split(".").length);
    for (const name of names) {
      const [, id, field] = name.split(".");
      if (!id) continue;
      if (field) this.addRun({ id, [field]: parts[name] } as StandInRun);
      else this.addRun({ ...(parts[name] as StandInRun), id });
    }
    return parts;
  }

  /** POST /api/v2/runs/query: project_ids, is_root, min/max_start_time, page_size, cursor; newest first. */
  private queryV2(body: V2Query): { items: Record<string, unknown>[]; next_cursor: string | null } {
    const now = Date.now();
    const min = body.min_start_time ? Date.parse(body.min_start_time) : now - DAY;
    const max = body.max_start_time ? Date.parse(body.max_start_time) : now;
    const runs = [...this.runs.values()]
      .filter((r) => body.project_ids!.includes(projectId(r.session_name ?? "default")) &&
        (body.is_root === undefined || body.is_root === !r.parent_run_id) &&
        Date.parse(iso(r.start_time)!) >= min && Date.parse(iso(r.start_time)!) <= max)
      .sort((a, b) => Date.parse(iso(b.start_time)!) - Date.parse(iso(a.start_time)!));
    const offset = body.cursor ? Number(Buffer.from(body.cursor, "base64url").toString("utf8")) : 0;
    const size = body.page_size ?? 100;
    const page = runs.slice(offset, offset + size);
    const next = offset + size < runs.length ? Buffer.from(String(offset + size)).toString("base64url") : null;
    return { items: page.map((r) => selectFields(this.v2Run(r), body.selects ?? ["ID"])), next_cursor: next };
  }

  private v2Run(r: StandInRun): Record<string, unknown> {
    const project = projectId(r.session_name ?? "default");
    const status = r.status ? String(r.status).toUpperCase() : r.error ? "ERROR" : r.end_time ? "SUCCESS" : "PENDING";
    const { metadata, ...extra } = r.extra ?? {};
    return {
      id: r.id, name: r.name, run_type: String(r.run_type ?? "chain").toUpperCase(), status,
      start_time: iso(r.start_time), end_time: r.end_time ? iso(r.end_time) : null,
      error: r.error ?? null, extra, metadata: metadata ?? {}, tags: r.tags ?? [], trace_id: r.trace_id ?? r.id,
      project_id: project, is_root: !r.parent_run_id, parent_run_ids: r.parent_run_id ? [r.parent_run_id] : [],
      app_path: r.app_path ?? `/o/test-tenant/projects/p/${project}/r/${r.id}`,
    };
  }
}

const DAY = 86_400_000;

type V2Query = {
  project_ids?: string[];
  is_root?: boolean;
  min_start_time?: string;
  max_start_time?: string;
  selects?: string[];
  page_size?: number;
  cursor?: string;
};

/** The v2 select names this stand-in serves, and the run field each one returns. */
const SELECTABLE: Record<string, string> = {
  ID: "id", NAME: "name", RUN_TYPE: "run_type", STATUS: "status", START_TIME: "start_time", END_TIME: "end_time",
  ERROR: "error", EXTRA: "extra", METADATA: "metadata", TAGS: "tags", TRACE_ID: "trace_id", PROJECT_ID: "project_id",
  IS_ROOT: "is_root", PARENT_RUN_IDS: "parent_run_ids", APP_PATH: "app_path",
};

function invalidV2Query(body: V2Query): string | undefined {
  if (!Array.isArray(body.project_ids) || body.project_ids.length === 0) return "project_ids is required";
  if (body.page_size !== undefined && !(Number.isInteger(body.page_size) && body.page_size >= 1 && body.page_size <= 1000)) return "page_size must be 1-1000";
  const unknown = (body.selects ?? []).find((s) => !(s in SELECTABLE));
  if (unknown) return `unknown select ${unknown}`;
  for (const k of ["min_start_time", "max_start_time"] as const) if (body[k] !== undefined && !Number.isFinite(Date.parse(body[k]!))) return `${k} is not RFC3339`;
  return undefined;
}

const selectFields = (run: Record<string, unknown>, selects: string[]) =>
  Object.fromEntries(selects.map((s) => [SELECTABLE[s]!, run[SELECTABLE[s]!]]));

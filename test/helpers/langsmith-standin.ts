/**
 * A local stand-in for LangSmith (node:http on 127.0.0.1, port 0), for tests: it records what the
 * `langsmith` client sends when tracing (GET /info, POST /runs/multipart with parts
 * `post.<id>[.inputs|.outputs|.extra|...]` and `patch.<id>...`, gzip or not) and answers what it
 * asks when listing runs (GET /sessions?name=, POST /runs/query). Runs can also be seeded.
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
    if (this.failWith) return send(this.failWith, { detail: "stand-in told to fail" });
    try {
      if (rec.method === "GET" && rec.path === "/info") return send(200, { version: "0.10.0", batch_ingest_config: { use_multipart_endpoint: true } });
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
      if (rec.method === "POST" && rec.path === "/runs/query") {
        const body = JSON.parse(raw.toString("utf8")) as Record<string, unknown>;
        rec.body = body;
        return send(200, { runs: this.query(body), cursors: { next: null } });
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

  /** POST /runs/query: session, is_root, start_time (>=), order, limit. */
  private query(body: Record<string, unknown>): Record<string, unknown>[] {
    const sessions = (body.session as string[] | null) ?? null;
    const since = body.start_time ? Date.parse(String(body.start_time)) : -Infinity;
    let runs = [...this.runs.values()].filter((r) =>
      (!sessions || sessions.includes(projectId(r.session_name ?? "default"))) &&
      (!body.is_root || !r.parent_run_id) &&
      Date.parse(iso(r.start_time)!) >= since);
    runs.sort((a, b) => Date.parse(iso(a.start_time)!) - Date.parse(iso(b.start_time)!));
    if (body.order !== "asc") runs.reverse();
    if (typeof body.limit === "number") runs = runs.slice(0, body.limit);
    return runs.map((r) => ({
      ...r,
      session_id: projectId(r.session_name ?? "default"),
      start_time: iso(r.start_time)!.replace("Z", ""),
      end_time: r.end_time ? iso(r.end_time)!.replace("Z", "") : null,
      status: r.status ?? (r.error ? "error" : r.end_time ? "success" : "pending"),
      app_path: r.app_path ?? `/o/test-tenant/projects/p/${projectId(r.session_name ?? "default")}/r/${r.id}`,
    }));
  }
}

/**
 * Shared by the HTTP tests: a real server on port 0 over a real temp SQLite file, a snapshot of
 * every table (to prove a refused request wrote nothing), and a tiny Prometheus text parser.
 */
import { request } from "node:http";
import { join } from "node:path";
import { loadConfig, type Config } from "../../src/config/index.js";
import { startServer, type RunningServer, type StartServerOptions } from "../../src/http/index.js";
import type { SharedState } from "../../src/storage/sqlite/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { openTestStore } from "../helpers/store.js";
import { makeTempDir } from "../helpers/temp-dir.js";

export interface TestServer {
  server: RunningServer;
  store: SharedState;
  config: Config;
  dir: string;
  url: string;
}

const running: RunningServer[] = [];

export async function startTestServer(env: Record<string, string> = {}, extra: Partial<StartServerOptions> = {}): Promise<TestServer> {
  const dir = makeTempDir("bga-http-");
  const config = loadConfig({
    DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "1",
    DASHBOARD_PORT: "0", ...env,
  });
  const store = await openTestStore({ path: config.databasePath });
  const { logger } = captureLogger("dashboard-test");
  const server = await startServer({ store, config, logger, livePollMs: 100, sampleIntervalMs: 500, ...extra });
  running.push(server);
  return { server, store, config, dir, url: server.url };
}

export async function closeServers(): Promise<void> {
  for (const s of running.splice(0)) await s.close();
}

/** Every row of every table, in rowid order: equal snapshots mean nothing was written. */
export function snapshot(store: SharedState): string {
  const tables = store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[];
  const out: Record<string, unknown[]> = {};
  for (const { name } of tables) out[name] = store.db.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).all();
  return JSON.stringify(out);
}

export interface PromFamily {
  type: string;
  samples: Array<{ name: string; labels: Record<string, string>; value: number }>;
}

/** Parses Prometheus text exposition 0.0.4; throws on any line that does not fit. */
export function parsePrometheus(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const sampleRe = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
  const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?/gy;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      families.set(type[1]!, { type: type[2]!, samples: [] });
      continue;
    }
    if (line.startsWith("# HELP ")) continue;
    if (line.startsWith("#")) throw new Error(`unexpected comment line: ${line}`);
    const m = sampleRe.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      labelRe.lastIndex = 0;
      let lm: RegExpExecArray | null;
      let consumed = 0;
      while ((lm = labelRe.exec(m[2]))) {
        labels[lm[1]!] = lm[2]!.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
        consumed = labelRe.lastIndex;
      }
      if (consumed !== m[2].length) throw new Error(`bad label set in: ${line}`);
    }
    const value = m[3] === "+Inf" ? Infinity : m[3] === "-Inf" ? -Infinity : Number(m[3]);
    if (Number.isNaN(value) && m[3] !== "NaN") throw new Error(`bad value in: ${line}`);
    const family = [...families.keys()].find((f) => m[1] === f || (m[1]!.startsWith(f) && /^_(bucket|sum|count)$/.test(m[1]!.slice(f.length))));
    if (!family) throw new Error(`sample before its # TYPE line: ${line}`);
    families.get(family)!.samples.push({ name: m[1]!, labels, value });
  }
  return families;
}

export async function post(url: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: "POST", body, headers: body === undefined ? headers : { "content-type": "application/json", ...headers } });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

/** A request through node:http, which (unlike fetch) lets a test set the Host header. */
export function rawPost(url: string, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", headers }, (res) => {
      let text = "";
      res.setEncoding("utf8").on("data", (d: string) => (text += d)).on("end", () => resolve(new Response(text, { status: res.statusCode })));
    });
    req.on("error", reject).end();
  });
}

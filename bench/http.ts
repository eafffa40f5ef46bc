/**
 * Dashboard/API figures: `GET /api/agents` (the full list, and the page's sorted 50-row page),
 * `GET /api/summary` and `GET /metrics` at 10k agents, sequential requests over real HTTP, p50/p99
 * (goal p99 < 100 ms, the seed's figure); and the page's first render with 1,000 agents in Chromium.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import winston from "winston";
import { loadConfig } from "../src/config/index.js";
import { startServer, type RunningServer } from "../src/http/index.js";
import { SharedState } from "../src/storage/sqlite/index.js";
import { fmt, median, quantile } from "./lib/stats.js";
import type { BenchModule, BenchOptions, FigureTable, Goal } from "./lib/types.js";

// page functions run in the browser; the project compiles without the DOM lib
declare const document: { body: { dataset: Record<string, string> }; querySelectorAll(s: string): { length: number } };

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const silent = winston.createLogger({ transports: [new winston.transports.Console({ silent: true })] });
const STATES = ["active", "active", "active", "active", "stale", "error", "initializing", "recovering", "failed", "stopped"];

async function fleet(path: string, n: number): Promise<SharedState> {
  const store = await SharedState.open({ path });
  const now = Date.now();
  store.db.transaction(() => {
    const ins = store.db.prepare(`INSERT INTO agents (name, state, state_changed_at, registered_at, started_at, last_heartbeat,
      pid, host, rss_bytes, cpu_percent, hb_latency_ms, error_count, last_error, heartbeats)
      VALUES (?, ?, ?, ?, ?, ?, ?, 'bench-host', ?, ?, ?, ?, ?, ?)`);
    for (let i = 0; i < n; i++) {
      const err = i % 7 === 0;
      ins.run(`agent-${String(i).padStart(5, "0")}`, STATES[i % STATES.length], now - 60_000, now - 3_600_000, now - 3_600_000,
        now - (i % 30) * 1000, 10_000 + i, 50e6 + i * 1000, (i % 50) / 10, 0.4, err ? 3 : 0, err ? `timeout talking to service ${i}` : null, 100 + i);
    }
  })();
  return store;
}

async function serve(store: SharedState, dir: string): Promise<RunningServer> {
  const config = loadConfig({ DATABASE_PATH: store.path, LOG_DIR: join(dir, "logs"), DASHBOARD_PORT: "0" });
  return startServer({ store, config, logger: silent, sampleIntervalMs: 5000 });
}

async function timeRequests(url: string, n: number): Promise<{ p50: number; p99: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < n + 5; i++) {
    const t = performance.now();
    const res = await fetch(url);
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
    if (i >= 5) times.push(performance.now() - t); // the first five warm up
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99), bytes };
}

async function firstRender(url: string, runs: number): Promise<number[]> {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const out: number[] = [];
  try {
    for (let i = 0; i < runs + 1; i++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const t = performance.now();
      await page.goto(url);
      await page.waitForFunction(() => document.body.dataset.loaded === "true" && document.querySelectorAll("#agent-table tbody tr[data-agent]").length > 0);
      if (i > 0) out.push(performance.now() - t); // the first load warms the browser
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return out;
}

async function run(opts: BenchOptions) {
  const n = opts.quick ? 30 : 200;
  const tables: FigureTable[] = [];
  const goals: Goal[] = [];

  opts.log("filling 10k agents");
  const big = await fleet(join(opts.tmpDir, "10k.db"), 10_000);
  const server = await serve(big, opts.tmpDir);
  const rows: (string | number)[][] = [];
  try {
    for (const [what, path] of [
      ["GET /api/summary", "/api/summary"],
      ["GET /api/agents (page: 50 rows, sorted by heartbeat)", "/api/agents?sort=lastHeartbeat&order=desc&limit=50"],
      ["GET /api/agents (all 10k)", "/api/agents"],
      ["GET /metrics (10k age series)", "/metrics"],
    ] as const) {
      opts.log(what);
      const r = await timeRequests(server.url + path, path === "/metrics" ? Math.ceil(n / 4) : n);
      rows.push([what, fmt(r.p50), fmt(r.p99), fmt(r.bytes / 1024, 0)]);
      if (path !== "/metrics") goals.push({ goal: `${what} at 10k agents, p99`, target: "< 100 ms", measured: `${fmt(r.p99)} ms`, pass: r.p99 < 100 });
    }
  } finally {
    await server.close();
    await big.close();
  }
  tables.push({ title: "HTTP API at 10,000 agents (sequential requests, client-side time incl. body)", columns: ["request", "p50 ms", "p99 ms", "body KB"], rows, notes: [`${n} requests each after 5 warm-up requests`] });

  if (!existsSync(CHROMIUM)) {
    tables.push({ title: "Dashboard first render", columns: ["agents", "median ms"], rows: [], notes: [`skipped: no Chromium at ${CHROMIUM}`] });
    goals.push({ goal: "dashboard first render with 1,000 agents", target: "measured", measured: "no Chromium", pass: false });
    return { tables, goals };
  }
  const mid = await fleet(join(opts.tmpDir, "1k.db"), 1000);
  const s2 = await serve(mid, opts.tmpDir);
  try {
    opts.log("first render in Chromium");
    const times = await firstRender(s2.url, opts.quick ? 2 : 5);
    const sorted = [...times].sort((a, b) => a - b);
    tables.push({
      title: "Dashboard first render with 1,000 agents (Chromium, navigation to table rows shown)",
      columns: ["agents", "runs", "median ms", "max ms"],
      rows: [[1000, times.length, fmt(median(times)), fmt(sorted.at(-1)!)]],
      notes: ["the page shows 50 rows per page; the other 950 are a page click away (server-side paging)"],
    });
    goals.push({ goal: "dashboard first render with 1,000 agents", target: "< 1,000 ms", measured: `${fmt(median(times))} ms`, pass: median(times) < 1000 });
  } finally {
    await s2.close();
    await mid.close();
  }
  return { tables, goals };
}

const bench: BenchModule = { name: "http", run };
export default bench;

/**
 * 100,000 agents heartbeating every 10 s (10,000 heartbeats/s offered) for 60 s
 * (`npm run bench -- --only=scale [--duration=SECONDS]`; 15 s with --quick):
 * - half of them through single pushes (POST /api/agents/:name/heartbeat) from 64 keep-alive
 *   connections, half through 10 gateways relaying their agents with POST /api/heartbeats once a second;
 * - the monitor's sweep (findStaleAgents + markStaleAgents, as its nodes do) every second in its
 *   own process, STALE_THRESHOLD 30 s;
 * - the dashboard's summary and first page (50 rows) read every 200 ms, from a process of their own.
 * Each part runs in its own process (the load generators too, so their cost is counted apart).
 * Lost = heartbeats answered as stored minus what the agents table counts afterwards (must be 0);
 * false positives = transitions to stale during the run (every agent heartbeats in time, so must be 0).
 * On SQLite, and on a throw-away PostgreSQL cluster when its binaries are installed
 * (BENCH_SCALE_BACKENDS=sqlite to skip it).
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { loadConfig } from "../src/config/index.js";
import { openStore, type StateStore } from "../src/storage/index.js";
import { postgresBinDir, startCluster, type PgCluster } from "../test/helpers/postgres.js";
import { cpuTimeMs, rssBytes } from "./lib/proc-stats.js";
import { forkTs, nextMessage, REPO_ROOT, stopChild } from "./lib/procs.js";
import { fmt, int, mb, quantile } from "./lib/stats.js";
import type { BenchModule, BenchOptions, FigureTable, Goal } from "./lib/types.js";
import type { LoadResult, LoadSpec } from "./workers/scale-load.js";

const AGENTS = 100_000;
const INTERVAL_MS = 10_000;
const STALE_THRESHOLD_S = 30;
const READ_EVERY_MS = 200;
const worker = (name: string) => join(REPO_ROOT, "bench/workers", name);

interface Backend { label: string; env: Record<string, string> }

async function heartbeatsStored(store: StateStore): Promise<number> {
  return (await store.getRegisteredAgents()).reduce((n, a) => n + a.heartbeats, 0);
}

/**
 * Every agent registered and active with a fresh heartbeat. SQLite: heartbeats of unknown agents.
 * PostgreSQL: the same would take minutes (a new agent costs three statements there), so
 * fleet.ensureRegistered and one UPDATE to active, as bench/postgres.ts does.
 */
async function registerActive(store: StateStore, env: Record<string, string>): Promise<void> {
  const chunks = Array.from({ length: AGENTS / 5000 }, (_, c) => Array.from({ length: 5000 }, (_, k) => `scale-${c * 5000 + k}`));
  if (!env.DATABASE_URL) {
    for (const names of chunks) await store.updateHeartbeats(names.map((name) => ({ name })));
    return;
  }
  for (const names of chunks) await store.fleet.ensureRegistered(names, "bench");
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    const schema = loadConfig(env).databaseSchema;
    await client.query(`UPDATE ${schema}.agents SET state = 'active', state_reason = 'bench', heartbeats = 1`);
    // as autovacuum would have on a fleet that registered over time: the bulk set-up leaves 200k dead rows
    await client.query(`VACUUM (ANALYZE) ${schema}.agents`);
  } finally {
    await client.end();
  }
  // as a dashboard that was already running would have: the 200k state-count deltas of the set-up folded
  await store.summary();
}

interface Proc { name: string; pid: number }

/** RSS every second and CPU over the window, per process. */
function sampleProcs(procs: Proc[]) {
  const rss = new Map<number, number[]>(procs.map((p) => [p.pid, []]));
  const cpu0 = new Map(procs.map((p) => [p.pid, cpuTimeMs(p.pid)]));
  const t0 = performance.now();
  const timer = setInterval(() => {
    for (const p of procs) {
      try {
        rss.get(p.pid)!.push(rssBytes(p.pid));
      } catch { /* exited */ }
    }
  }, 1000);
  return () => {
    clearInterval(timer);
    const wall = performance.now() - t0;
    return procs.map((p) => {
      const r = rss.get(p.pid)!;
      let cpu = NaN;
      try {
        cpu = ((cpuTimeMs(p.pid) - cpu0.get(p.pid)!) / wall) * 100;
      } catch { /* exited */ }
      return { ...p, rssMax: r.length ? Math.max(...r) : NaN, rssEnd: r.at(-1) ?? NaN, cpu };
    });
  };
}

async function scaleRun(o: BenchOptions, backend: Backend, durationMs: number): Promise<{ tables: FigureTable[]; goals: Goal[] }> {
  const env = { DATABASE_PATH: join(o.tmpDir, `scale-${backend.label}.db`), LOG_DIR: join(o.tmpDir, "logs"),
    HEARTBEAT_INTERVAL: String(INTERVAL_MS / 1000), STALE_THRESHOLD: String(STALE_THRESHOLD_S), LANGSMITH_TRACING: "false", ...backend.env };
  const children: ChildProcess[] = [];
  const fork = (file: string, extra: NodeJS.ProcessEnv) => {
    const c = forkTs(worker(file), { ...process.env, ...env, ...extra });
    children.push(c);
    return c;
  };
  const store = await openStore(loadConfig(env));
  try {
    const server = fork("push-server.ts", { PUSH_SERVER: "ours", PUSH_DB: env.DATABASE_PATH, PUSH_ENV: JSON.stringify(env), PUSH_SAMPLE_MS: String(INTERVAL_MS) });
    const { port } = await nextMessage<{ port: number }>(server, (m) => typeof m?.port === "number", 60_000);
    const sweeper = fork("scale-sweeper.ts", { SCALE_SWEEP_EVERY_MS: "1000" });
    const reader = fork("scale-reader.ts", { SCALE_READ_PORT: String(port), SCALE_READ_EVERY_MS: String(READ_EVERY_MS) });
    const half = AGENTS / 2;
    const specs: LoadSpec[] = [
      { mode: "single", port, from: 0, to: half, intervalMs: INTERVAL_MS, connections: 64, gateways: 0 },
      { mode: "batch", port, from: half, to: AGENTS, intervalMs: INTERVAL_MS, connections: 10, gateways: 10 },
    ];
    const loaders = specs.map((s) => fork("scale-load.ts", { SCALE_LOAD: JSON.stringify(s) }));
    await Promise.all([sweeper, reader, ...loaders].map((c) => nextMessage<{ type: string }>(c, (m) => m?.type === "ready", 60_000)));

    o.log(`${backend.label}: registering ${int(AGENTS)} agents`);
    await registerActive(store, env);
    sweeper.send({ type: "warm" });
    await nextMessage<{ type: string }>(sweeper, (m) => m?.type === "warm", 60_000);
    const before = await heartbeatsStored(store);
    const { lastId } = await store.countTransitions(0);

    o.log(`${backend.label}: ${durationMs / 1000} s at ${int((AGENTS / INTERVAL_MS) * 1000)} heartbeats/s offered`);
    const procs: Proc[] = [
      { name: "dashboard/API server", pid: server.pid! }, { name: "monitor sweep", pid: sweeper.pid! },
      { name: "load: single pushes (64 connections)", pid: loaders[0]!.pid! }, { name: "load: batch gateways (10)", pid: loaders[1]!.pid! },
      { name: "dashboard reads", pid: reader.pid! }, { name: "bench (counting)", pid: process.pid },
    ];
    const stopSampling = sampleProcs(procs);
    // a server that falls behind answers the backlog after the window: give it time to drain
    const results = loaders.map((c) => nextMessage<LoadResult>(c, (m) => m?.type === "result", durationMs + 300_000));
    const reads = nextMessage<{ summary: number[]; page: number[]; failed: number }>(reader, (m) => (m as { type?: string })?.type === "reads", durationMs + 360_000);
    reader.send({ type: "go" });
    sweeper.send({ type: "go" });
    for (const c of loaders) c.send({ type: "go", durationMs });
    const [single, batch] = await Promise.all(results);
    reader.send({ type: "stop" });
    const { summary, page, failed: readsFailed } = await reads;
    const perProc = stopSampling();
    const sweepsP = nextMessage<{ ms: number[]; first: number; marked: number }>(sweeper, (m) => Array.isArray((m as { ms?: unknown })?.ms), 60_000);
    sweeper.send({ type: "stop" });
    const swept = await sweepsP;
    const sweeps = swept.ms.sort((a, b) => a - b);

    const stored = (await heartbeatsStored(store)) - before;
    const falseStale = (await store.countTransitions(lastId)).byTarget.stale ?? 0;
    const accepted = single!.accepted + batch!.accepted;
    const lost = accepted - stored;
    const failed = single!.refused + single!.errors + batch!.refused + batch!.errors;
    const wallS = Math.max(single!.wallMs, batch!.wallMs) / 1000;
    const offeredPerS = (single!.offered + batch!.offered) / wallS;
    const achievedPerS = (single!.acceptedInWindow + batch!.acceptedInWindow) / wallS;
    const pushP99 = quantile(single!.latencies, 0.99);
    const summaryP99 = quantile(summary, 0.99);
    const sweepP99 = quantile(sweeps, 0.99);
    const b = backend.label;

    const figures: FigureTable = {
      title: `Scale on ${b}: ${int(AGENTS)} agents every ${INTERVAL_MS / 1000} s for ${fmt(wallS, 0)} s (half single pushes, half batches), sweep every 1 s, dashboard reads every ${READ_EVERY_MS} ms`,
      columns: ["figure", "value"],
      rows: [
        ["heartbeats/s offered / achieved (answered within the window)", `${int(offeredPerS)} / ${int(achievedPerS)}`],
        ["heartbeats accepted / stored (counted) / lost", `${int(accepted)} / ${int(stored)} / ${int(lost)}`],
        ["refused or failed heartbeats", int(failed)],
        ["most single pushes waiting for a free connection (client backlog)", int(single!.maxBacklog)],
        ["single push latency p50 / p99 / max ms", `${fmt(quantile(single!.latencies, 0.5))} / ${fmt(pushP99)} / ${fmt(single!.latencies.at(-1) ?? NaN)}`],
        [`batch request (${int(batch!.offered / Math.max(1, batch!.requests))} heartbeats) latency p50 / p99 / max ms`, `${fmt(quantile(batch!.latencies, 0.5))} / ${fmt(quantile(batch!.latencies, 0.99))} / ${fmt(batch!.latencies.at(-1) ?? NaN)}`],
        ["sweep p50 / p99 / max ms (count)", `${fmt(quantile(sweeps, 0.5))} / ${fmt(sweepP99)} / ${fmt(sweeps.at(-1) ?? NaN)} (${sweeps.length})`],
        ["the sweeping process's first sweep, before the load (not counted above) ms", fmt(swept.first)],
        ["GET /api/summary p50 / p99 ms", `${fmt(quantile(summary, 0.5))} / ${fmt(summaryP99)}`],
        ["GET /api/agents first page p50 / p99 ms", `${fmt(quantile(page, 0.5))} / ${fmt(quantile(page, 0.99))}`],
        ["dashboard reads failed", int(readsFailed)],
        ["stale transitions during the run (false positives)", int(falseStale)],
      ],
      notes: ["achieved counts the heartbeats whose 202 came back before the window ended; the rest were in flight and are counted as stored and accepted"],
    };
    const processes: FigureTable = {
      title: `Scale on ${b}: processes over the window`,
      columns: ["process", "pid", "RSS MB at end", "RSS MB max", "CPU % of one core"],
      rows: perProc.map((p) => [p.name, p.pid, mb(p.rssEnd), mb(p.rssMax), fmt(p.cpu, 1)]),
    };
    const goals: Goal[] = [
      { goal: `${b} 100k agents: heartbeats/s sustained`, target: `>= 99% of ${int(offeredPerS)} offered`, measured: int(achievedPerS), pass: achievedPerS >= 0.99 * offeredPerS && failed === 0 },
      { goal: `${b} 100k agents: heartbeats lost (by count)`, target: "0", measured: int(lost), pass: lost === 0 },
      { goal: `${b} 100k agents: stale false positives`, target: "0", measured: int(falseStale), pass: falseStale === 0 },
      { goal: `${b} 100k agents: sweep p99`, target: "< 50 ms", measured: `${fmt(sweepP99)} ms`, pass: sweepP99 < 50 },
      { goal: `${b} 100k agents: summary p99`, target: "< 50 ms", measured: `${fmt(summaryP99)} ms`, pass: summaryP99 < 50 },
    ];
    await stopChild(server, "SIGTERM", 15_000);
    return { tables: [figures, processes], goals };
  } finally {
    await Promise.all(children.map((c) => stopChild(c, "SIGKILL")));
    await store.close();
  }
}

async function run(o: BenchOptions) {
  const durationMs = (o.durationS ?? (o.quick ? 15 : 60)) * 1000;
  const wanted = (process.env.BENCH_SCALE_BACKENDS ?? "sqlite,postgres").split(",");
  const tables: FigureTable[] = [];
  const goals: Goal[] = [];
  if (wanted.includes("sqlite")) {
    const r = await scaleRun(o, { label: "SQLite", env: {} }, durationMs);
    tables.push(...r.tables);
    goals.push(...r.goals);
  }
  if (wanted.includes("postgres")) {
    if (!postgresBinDir()) {
      o.log("PostgreSQL skipped: no server binary (/usr/lib/postgresql/*/bin/initdb)");
    } else {
      let cluster: PgCluster | undefined;
      try {
        cluster = await startCluster();
        const r = await scaleRun(o, { label: "PostgreSQL", env: { DATABASE_URL: await cluster.freshDatabase() } }, durationMs);
        tables.push(...r.tables);
        goals.push(...r.goals);
      } finally {
        cluster?.destroy();
      }
    }
  }
  return { tables, goals };
}

const bench: BenchModule = { name: "scale", run };
export default bench;

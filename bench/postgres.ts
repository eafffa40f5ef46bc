/**
 * PostgreSQL (`npm run bench -- --only=postgres`), on a throw-away cluster (fsync off, loopback):
 * - heartbeat throughput with 8 writer processes: PgStore.updateHeartbeat ("ours") vs. a plain pg
 *   Client running the same UPDATE ("baseline"), and that baseline batching 100 heartbeats per
 *   statement; pairs alternate order, the ratio is the median of the per-pair ratios;
 * - the stale sweep at 100k agents with 1% newly stale: PgStore.markStaleAgents vs. plain pg
 *   running the same statement;
 * - the HOT question: heartbeat UPDATEs that stayed HOT, sweep time, heartbeat time, with and
 *   without a partial index on last_heartbeat.
 * Skipped, with the reason printed, when no PostgreSQL server binary is installed.
 */
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { PgStore } from "../src/storage/postgres/index.js";
import { statements } from "../src/storage/postgres/statements.js";
import { postgresBinDir, startCluster, type PgCluster } from "../test/helpers/postgres.js";
import { forkTs, nextMessage, stopChild } from "./lib/procs.js";
import { fmt, int, median, quantile, ratio } from "./lib/stats.js";
import type { BenchModule, BenchOptions, FigureTable, Goal } from "./lib/types.js";
import type { FromPgWorker, PgWorkerMode, ToPgWorker } from "./workers/pg-heartbeat-worker.js";

const WORKER = fileURLToPath(new URL("./workers/pg-heartbeat-worker.ts", import.meta.url));
const WRITERS = Number(process.env.BENCH_PG_WRITERS ?? 8);
const THRESHOLD_MS = 120_000;
const LIVE = "('initializing','active','error','recovering')";

interface Run {
  perSec: number;
  latencies: number[];
  errors: number;
  lost: number;
}

/** One timed run on a fresh database with fresh worker processes (a worker serves one open). */
async function heartbeatRun(cluster: PgCluster, mode: PgWorkerMode, durationMs: number): Promise<Run> {
  const pool = Array.from({ length: WRITERS }, () => forkTs(WORKER));
  try {
    return await timedRun(cluster, pool, mode, durationMs);
  } finally {
    await Promise.all(pool.map((p) => stopChild(p)));
  }
}

async function timedRun(cluster: PgCluster, pool: ChildProcess[], mode: PgWorkerMode, durationMs: number): Promise<Run> {
  const url = await cluster.freshDatabase();
  const setup = await PgStore.open({ url });
  const perWorker = mode === "batch100" ? 100 : 1;
  const names = pool.map((_, w) => Array.from({ length: perWorker }, (_, i) => `bench-${w}-${i}`));
  await setup.fleet.ensureRegistered(names.flat(), "bench");
  const c = await client(url);
  await c.query("UPDATE bg_agents.agents SET state = 'active'");
  const ready = pool.map((p) => nextMessage<FromPgWorker>(p, (m) => m.type !== "result", 60_000));
  pool.forEach((p, w) => p.send({ type: "open", mode, url, names: names[w]! } satisfies ToPgWorker));
  for (const r of await Promise.all(ready)) if (r.type === "failed") throw new Error(r.message);
  const results = pool.map((p) => nextMessage<FromPgWorker>(p, (m) => m.type !== "ready", durationMs + 60_000));
  for (const p of pool) p.send({ type: "go", durationMs } satisfies ToPgWorker);
  let count = 0;
  let elapsed = 0;
  let errors = 0;
  const latencies: number[] = [];
  for (const r of await Promise.all(results)) {
    if (r.type !== "result") throw new Error(r.type === "failed" ? r.message : "unexpected message");
    count += r.count;
    elapsed = Math.max(elapsed, r.elapsedMs);
    errors += Object.values(r.errors).reduce((s, v) => s + v, 0);
    for (const x of r.latencies) latencies.push(x);
  }
  const stored = Number((await c.query("SELECT sum(heartbeats)::bigint AS n FROM bg_agents.agents")).rows[0].n);
  await c.end();
  await setup.close();
  return { perSec: (count * 1000) / elapsed, latencies, errors, lost: Math.abs(stored - count) };
}

async function client(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  return c;
}

async function heartbeats(cluster: PgCluster, o: BenchOptions): Promise<{ table: FigureTable; goals: Goal[] }> {
  const durationMs = (o.quick ? 1 : 3) * 1000;
  const pairs = o.quick ? 1 : 3;
  const runs: Record<PgWorkerMode, Run[]> = { ours: [], baseline: [], batch100: [] };
  const ratios: number[] = [];
  for (let i = 0; i < pairs; i++) {
    for (const mode of (i % 2 ? ["ours", "baseline"] : ["baseline", "ours"]) as PgWorkerMode[]) {
      o.log(`heartbeats: ${WRITERS} writers, ${mode}, pair ${i + 1}/${pairs}`);
      runs[mode].push(await heartbeatRun(cluster, mode, durationMs));
    }
    ratios.push(runs.ours[i]!.perSec / runs.baseline[i]!.perSec);
  }
  o.log(`heartbeats: ${WRITERS} writers, batch100`);
  runs.batch100.push(await heartbeatRun(cluster, "batch100", durationMs));
  const table: FigureTable = {
    title: `PostgreSQL heartbeat throughput: ${WRITERS} writer processes in tight loops (${pairs} pair(s) of ${durationMs / 1000} s runs; medians)`,
    columns: ["path", "heartbeats/s", "vs baseline", "p50 ms", "p99 ms", "errors", "lost"],
    rows: [],
    notes: [
      "ours = PgStore.updateHeartbeat (pool of 1, one UPDATE, server clock); baseline = one pg Client per process, the same UPDATE as a prepared statement, autocommit.",
      "batch100 = the baseline writing 100 agents' heartbeats per UPDATE ... FROM unnest($1::text[]): what batching (group commit) would buy; not used by the store yet.",
    ],
  };
  const baseMedian = median(runs.baseline.map((r) => r.perSec));
  for (const mode of ["baseline", "ours", "batch100"] as PgWorkerMode[]) {
    const rs = runs[mode];
    const lat = rs.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const per = median(rs.map((r) => r.perSec));
    const vs = mode === "ours" ? ratio(median(ratios)) : mode === "baseline" ? "1.00x" : ratio(per / baseMedian);
    table.rows.push([mode, int(per), vs, fmt(quantile(lat, 0.5), 3), fmt(quantile(lat, 0.99)), rs.reduce((s, r) => s + r.errors, 0), rs.reduce((s, r) => s + r.lost, 0)]);
  }
  const ours = runs.ours;
  const r = median(ratios);
  return {
    table,
    goals: [
      { goal: `PostgreSQL heartbeat throughput, ${WRITERS} writer processes`, target: ">= 0.70x plain pg", measured: ratio(r), pass: r >= 0.7 },
      { goal: "PostgreSQL: no heartbeat lost, no error", target: "0 lost, 0 errors", measured: `${ours.reduce((s, x) => s + x.lost, 0)} lost, ${ours.reduce((s, x) => s + x.errors, 0)} errors`,
        pass: ours.every((x) => x.lost === 0 && x.errors === 0) },
    ],
  };
}

/** A database with `n` active agents, 1% of them with a heartbeat older than the threshold. */
async function populate(url: string, n: number): Promise<void> {
  (await PgStore.open({ url })).close();
  const c = await client(url);
  await c.query(`INSERT INTO bg_agents.agents (name, state, state_changed_at, registered_at, started_at, last_heartbeat)
    SELECT 'a' || i, 'active', t, t, t, CASE WHEN i % 100 = 0 THEN t - ${2 * THRESHOLD_MS} ELSE t END
    FROM generate_series(1, $1) i, (SELECT bg_agents.now_ms() AS t) x`, [n]);
  await c.query("VACUUM ANALYZE bg_agents.agents");
  await c.end();
}

const resetSql = `UPDATE bg_agents.agents SET state = 'active', last_heartbeat = bg_agents.now_ms() - ${2 * THRESHOLD_MS}
  WHERE state = 'stale'`;

async function sweeps(cluster: PgCluster, o: BenchOptions): Promise<{ table: FigureTable; goals: Goal[] }> {
  const n = o.quick ? 10_000 : 100_000;
  const reps = o.quick ? 3 : 7;
  const url = await cluster.freshDatabase();
  await populate(url, n);
  const store = await PgStore.open({ url });
  const c = await client(url);
  const sql = statements('"bg_agents"').markStale;
  const time = async (f: () => Promise<number>) => {
    const out: number[] = [];
    for (let i = 0; i < reps; i++) {
      await c.query(resetSql);
      const t = performance.now();
      const marked = await f();
      out.push(performance.now() - t);
      if (marked !== n / 100) throw new Error(`sweep marked ${marked}, expected ${n / 100}`);
    }
    return median(out);
  };
  const table: FigureTable = {
    title: `PostgreSQL stale sweep: ${int(n)} agents, 1% newly stale (median of ${reps})`,
    columns: ["path", "index on last_heartbeat", "sweep ms", "vs baseline"],
    rows: [],
    notes: ["ours = PgStore.markStaleAgents; baseline = plain pg running the same UPDATE ... RETURNING; each sweep writes a transition per agent (trigger)."],
  };
  o.log("sweep: no partial index");
  const base = await time(async () => (await c.query(sql, [THRESHOLD_MS, null])).rowCount ?? 0);
  const ours = await time(async () => (await store.markStaleAgents(THRESHOLD_MS)).length);
  table.rows.push(["baseline", "none", fmt(base, 1), "1.00x"], ["ours", "none", fmt(ours, 1), ratio(base / ours)]);
  o.log("sweep: with a partial index");
  await c.query(`CREATE INDEX bench_live_heartbeat ON bg_agents.agents(last_heartbeat) WHERE state IN ${LIVE}`);
  await c.query("ANALYZE bg_agents.agents");
  const indexed = await time(async () => (await store.markStaleAgents(THRESHOLD_MS)).length);
  table.rows.push(["ours", "partial (live states)", fmt(indexed, 1), ratio(base / indexed)]);
  await c.end();
  await store.close();
  const r = base / ours;
  return { table, goals: [{ goal: `PostgreSQL stale sweep at ${int(n)} agents`, target: ">= 0.80x plain pg", measured: ratio(r), pass: r >= 0.8 }] };
}

/** Heartbeat UPDATEs that stayed HOT, and their cost, with and without the partial index. */
async function hot(cluster: PgCluster, o: BenchOptions): Promise<FigureTable> {
  const beats = o.quick ? 2_000 : 10_000;
  const table: FigureTable = {
    title: `PostgreSQL heartbeat UPDATEs that stay HOT: 1,000 agents, ${int(beats)} heartbeats from one process`,
    columns: ["index on last_heartbeat", "HOT updates", "heartbeats/s", "table + indexes KB"],
    rows: [],
    notes: ["HOT = heap-only tuple: no index entry written. Any index on last_heartbeat (a partial one too) makes every heartbeat non-HOT."],
  };
  for (const indexed of [false, true]) {
    const url = await cluster.freshDatabase();
    const c = await client(url);
    const setup = await PgStore.open({ url });
    if (indexed) await c.query(`CREATE INDEX bench_live_heartbeat ON bg_agents.agents(last_heartbeat) WHERE state IN ${LIVE}`);
    for (let i = 0; i < 1000; i++) await setup.updateHeartbeat(`h${i}`);
    // a backend flushes its statistics when it exits: close the store, then read them
    await setup.close();
    const stat = async () => {
      await new Promise((r) => setTimeout(r, 500));
      await c.query("SELECT pg_stat_clear_snapshot()");
      const r = (await c.query("SELECT n_tup_upd AS upd, n_tup_hot_upd AS hot FROM pg_stat_user_tables WHERE schemaname = 'bg_agents' AND relname = 'agents'")).rows[0];
      return { upd: Number(r.upd), hot: Number(r.hot) };
    };
    const before = await stat();
    const store = await PgStore.open({ url });
    const t = performance.now();
    for (let i = 0; i < beats; i++) await store.updateHeartbeat(`h${i % 1000}`);
    const perSec = (beats * 1000) / (performance.now() - t);
    await store.close();
    const after = await stat();
    const size = Number((await c.query("SELECT pg_total_relation_size('bg_agents.agents') AS b")).rows[0].b);
    table.rows.push([indexed ? "partial (live states)" : "none", `${int(after.hot - before.hot)} of ${int(after.upd - before.upd)}`, int(perSec), int(size / 1024)]);
    await c.end();
  }
  return table;
}

async function run(o: BenchOptions) {
  const bin = postgresBinDir();
  if (!bin) {
    const reason = "skipped: no PostgreSQL server binary (/usr/lib/postgresql/*/bin/initdb); apt-get install postgresql to run it";
    o.log(reason);
    return { tables: [{ title: "PostgreSQL", columns: ["result"], rows: [[reason]] }], goals: [] };
  }
  const cluster = await startCluster();
  try {
    const hb = await heartbeats(cluster, o);
    const sw = await sweeps(cluster, o);
    const h = await hot(cluster, o);
    const version = await (async () => {
      const c = await client(cluster.url());
      const v = (await c.query("SHOW server_version")).rows[0].server_version as string;
      await c.end();
      return v;
    })();
    for (const t of [hb.table, sw.table, h]) (t.notes ??= []).push(`PostgreSQL ${version} (${bin}), throw-away cluster: fsync=off, synchronous_commit=off, loopback TCP.`);
    return { tables: [hb.table, sw.table, h], goals: [...hb.goals, ...sw.goals] };
  } finally {
    cluster.destroy();
  }
}

const bench: BenchModule = { name: "postgres", run };
export default bench;

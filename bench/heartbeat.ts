/**
 * Heartbeat throughput: 1, 4 and 8 writer processes in tight loops, each its own agent, through
 * SharedState.updateHeartbeat ("ours") vs. plain better-sqlite3 with BEGIN IMMEDIATE and the same
 * UPDATE ("baseline"). Runs come in pairs (baseline+ours, order alternating) so bursts of load from
 * other work on the machine hit both sides; the ratio is the median of the per-pair ratios.
 * Lost heartbeats are checked by count: agents.heartbeats vs. the calls each process reported.
 */
import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { SharedState } from "../src/storage/sqlite/index.js";
import { forkTs, nextMessage, stopChild } from "./lib/procs.js";
import { fmt, int, median, quantile, ratio } from "./lib/stats.js";
import type { BenchModule, BenchOptions, FigureTable, Goal } from "./lib/types.js";
import type { FromWorker, ToWorker, WorkerMode } from "./workers/heartbeat-worker.js";

const WORKER = fileURLToPath(new URL("./workers/heartbeat-worker.ts", import.meta.url));
/** Overridable for experiments: BENCH_HB_WRITERS=8 BENCH_HB_PAIRS=5 BENCH_HB_SECONDS=2. */
const WRITERS = (process.env.BENCH_HB_WRITERS ?? "1,4,8").split(",").map(Number);
/** The baseline's busy_timeout, as in FACTS.md's measurements. */
const BASELINE_BUSY_TIMEOUT_MS = 5000;

interface RunFigures {
  count: number;
  elapsedMs: number;
  latencies: number[];
  errors: Record<string, number>;
  lost: number;
}

interface Aggregate {
  perSec: number;
  p50: number;
  p99: number;
  max: number;
  errors: Record<string, number>;
  lost: number;
}

let seq = 0;

async function oneRun(pool: ChildProcess[], o: BenchOptions, mode: WorkerMode, writers: number, durationMs: number): Promise<RunFigures> {
  const path = join(o.tmpDir, `hb-${mode}-${writers}-${++seq}.db`);
  const names = Array.from({ length: writers }, (_, i) => `bench-writer-${i}`);
  const setup = await SharedState.open({ path });
  for (const n of names) await setup.registerAgent(n);
  await setup.close();

  const workers = pool.slice(0, writers);
  const send = (w: ChildProcess, m: ToWorker) => w.send(m);
  const isReady = (m: FromWorker) => m.type === "ready" || m.type === "failed";
  const readies = workers.map((w) => nextMessage<FromWorker>(w, isReady, 60_000));
  workers.forEach((w, i) => send(w, { type: "open", mode, path, name: names[i]!, busyTimeoutMs: BASELINE_BUSY_TIMEOUT_MS }));
  for (const r of await Promise.all(readies)) if (r.type === "failed") throw new Error(r.message);

  const isResult = (m: FromWorker) => m.type === "result" || m.type === "failed";
  const results = workers.map((w) => nextMessage<FromWorker>(w, isResult, durationMs + 60_000));
  for (const w of workers) send(w, { type: "go", durationMs });
  const out: RunFigures = { count: 0, elapsedMs: 0, latencies: [], errors: {}, lost: 0 };
  const reported: number[] = [];
  for (const r of await Promise.all(results)) {
    if (r.type !== "result") throw new Error(r.type === "failed" ? r.message : "unexpected message");
    reported.push(r.count);
    out.count += r.count;
    out.elapsedMs = Math.max(out.elapsedMs, r.elapsedMs);
    for (const x of r.latencies) out.latencies.push(x);
    for (const [k, v] of Object.entries(r.errors)) out.errors[k] = (out.errors[k] ?? 0) + v;
  }
  // Heartbeats lost, by count: every call that resolved must be in the row's counter.
  const db = new Database(path, { readonly: true });
  const get = db.prepare("SELECT heartbeats FROM agents WHERE name = ?");
  names.forEach((n, i) => {
    const stored = (get.get(n) as { heartbeats: number }).heartbeats;
    out.lost += Math.abs(reported[i]! - stored);
  });
  db.close();
  return out;
}

const perSec = (r: RunFigures) => (r.count * 1000) / r.elapsedMs;

function aggregate(runs: RunFigures[]): Aggregate {
  const lat = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const errors: Record<string, number> = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return {
    perSec: median(runs.map(perSec)),
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    max: lat.at(-1) ?? NaN,
    errors,
    lost: runs.reduce((s, r) => s + r.lost, 0),
  };
}

const errText = (e: Record<string, number>) => Object.entries(e).map(([k, v]) => `${k} ${v}`).join(", ") || "0";

async function run(o: BenchOptions) {
  const durationMs = Number(process.env.BENCH_HB_SECONDS ?? (o.quick ? 1 : 3)) * 1000;
  const pairs = Number(process.env.BENCH_HB_PAIRS ?? (o.quick ? 1 : 3));
  const pool = Array.from({ length: Math.max(...WRITERS) }, () => forkTs(WORKER));
  const table: FigureTable = {
    title: `Heartbeat throughput: writer processes in tight loops (${pairs} pair(s) of ${durationMs / 1000} s runs; medians; p99 over all calls)`,
    columns: ["writers", "path", "heartbeats/s", "vs baseline", "p50 ms", "p99 ms", "max ms", "errors surfaced", "heartbeats lost"],
    rows: [],
    notes: [
      "ours = SharedState.updateHeartbeat (async-mutex + flock on <db>.lock + BEGIN IMMEDIATE); baseline = better-sqlite3, WAL, " +
        `synchronous=NORMAL, busy_timeout=${BASELINE_BUSY_TIMEOUT_MS}, BEGIN IMMEDIATE + the same UPDATE, no extra lock.`,
      "vs baseline = median of the per-pair ratios; heartbeats lost = |calls each process saw succeed - agents.heartbeats|, summed; must be 0.",
    ],
  };
  const goals: Goal[] = [];
  try {
    for (const writers of WRITERS) {
      const runs: Record<WorkerMode, RunFigures[]> = { ours: [], baseline: [] };
      const ratios: number[] = [];
      for (let i = 0; i < pairs; i++) {
        for (const mode of (i % 2 ? ["ours", "baseline"] : ["baseline", "ours"]) as WorkerMode[]) {
          o.log(`${writers} writer(s), ${mode}, pair ${i + 1}/${pairs}`);
          runs[mode].push(await oneRun(pool, o, mode, writers, durationMs));
        }
        ratios.push(perSec(runs.ours[i]!) / perSec(runs.baseline[i]!));
      }
      const base = aggregate(runs.baseline);
      const ours = aggregate(runs.ours);
      const r = median(ratios);
      for (const [label, a] of [["baseline", base], ["ours", ours]] as const) {
        table.rows.push([writers, label, int(a.perSec), label === "ours" ? ratio(r) : "1.00x", fmt(a.p50, 3), fmt(a.p99), fmt(a.max, 1), errText(a.errors), a.lost]);
      }
      if (writers === 8) {
        goals.push({ goal: "heartbeat throughput, 8 writer processes", target: ">= 0.8x baseline (issue 12)", measured: ratio(r), pass: r >= 0.8 });
        goals.push({ goal: "heartbeat p99 per call, 8 writers", target: "<= 10 ms", measured: `${fmt(ours.p99)} ms (baseline ${fmt(base.p99)})`, pass: ours.p99 <= 10 });
      }
      const errs = Object.values(ours.errors).reduce((s, v) => s + v, 0);
      goals.push({ goal: `no heartbeat lost, no error surfaced, ${writers} writer(s)`, target: "0 lost, 0 errors", measured: `${ours.lost} lost, ${errs} errors`, pass: ours.lost === 0 && errs === 0 });
    }
  } finally {
    await Promise.all(pool.map((w) => stopChild(w)));
  }
  return { tables: [table], goals };
}

const bench: BenchModule = { name: "heartbeat", run };
export default bench;

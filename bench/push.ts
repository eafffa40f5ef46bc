/**
 * Pushed heartbeats (`POST /api/agents/:name/heartbeat`) over keep-alive loopback connections, at
 * 16 and 64 connections, against a bare fastify + better-sqlite3 server doing one upsert per
 * request (bench/workers/push-server.ts), measured side by side in the same run, in alternating
 * pairs (the goal is the median ratio). Each server runs
 * in its own process; the load comes from this one. Lost = 202s answered minus heartbeats counted
 * in the database afterwards.
 */
import Database from "better-sqlite3";
import { Agent, request } from "node:http";
import { join } from "node:path";
import { forkTs, nextMessage, REPO_ROOT, stopChild } from "./lib/procs.js";
import { fmt, quantile } from "./lib/stats.js";
import type { BenchModule, BenchOptions, Goal } from "./lib/types.js";

const AGENTS = 1000;
const BODY = JSON.stringify({ pid: 4242 });

interface Load { perSec: number; p99: number; ok: number; errors: number }

function post(agent: Agent, port: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: "127.0.0.1", port, method: "POST", path: `/api/agents/${name}/heartbeat`,
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(BODY) } }, (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("error", reject);
    req.end(BODY);
  });
}

async function load(port: number, connections: number, ms: number): Promise<Load> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const lat: number[] = [];
  let ok = 0;
  let errors = 0;
  let i = 0;
  const end = performance.now() + ms;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      try {
        if ((await post(agent, port, `agent-${i++ % AGENTS}`)) === 202) ok++;
        else errors++;
      } catch {
        errors++;
      }
      lat.push(performance.now() - t);
    }
  }));
  const wall = performance.now() - t0;
  agent.destroy();
  return { perSec: (ok / wall) * 1000, p99: quantile(lat.sort((a, b) => a - b), 0.99), ok, errors };
}

function counted(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("SELECT coalesce(sum(heartbeats), 0) AS n FROM agents").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function measure(kind: "ours" | "bare", o: BenchOptions, connections: number, ms: number) {
  const db = join(o.tmpDir, `${kind}-${connections}.db`);
  const child = forkTs(join(REPO_ROOT, "bench/workers/push-server.ts"), { ...process.env, PUSH_SERVER: kind, PUSH_DB: db, LANGSMITH_TRACING: "false" });
  try {
    const { port } = await nextMessage<{ port: number }>(child, (m) => typeof m?.port === "number", 60_000);
    await load(port, connections, 500); // warm-up (JIT, connections), counted too
    const before = counted(db);
    const r = await load(port, connections, ms);
    await stopChild(child, "SIGTERM", 10_000);
    return { ...r, lost: r.ok - (counted(db) - before) };
  } finally {
    await stopChild(child, "SIGKILL");
  }
}

/** Runs per server and connection count, alternating which server goes first: the machine's speed drifts. */
const PAIRS = 3;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function run(o: BenchOptions) {
  const ms = o.quick ? 2000 : 5000;
  const pairs = o.quick ? 1 : PAIRS;
  const rows: (string | number)[][] = [];
  const goals: Goal[] = [];
  for (const connections of [16, 64]) {
    const runs: { ours: Awaited<ReturnType<typeof measure>>; bare: Awaited<ReturnType<typeof measure>> }[] = [];
    for (let pair = 0; pair < pairs; pair++) {
      const order = pair % 2 === 0 ? (["bare", "ours"] as const) : (["ours", "bare"] as const);
      const r = {} as (typeof runs)[number];
      for (const kind of order) r[kind] = await measure(kind, o, connections, ms);
      o.log(`${connections} connections, pair ${pair + 1}: ours ${fmt(r.ours.perSec, 0)}/s, bare ${fmt(r.bare.perSec, 0)}/s`);
      runs.push(r);
    }
    const ratio = median(runs.map((r) => r.ours.perSec / r.bare.perSec));
    const oursP99 = median(runs.map((r) => r.ours.p99));
    const lost = runs.reduce((n, r) => n + r.ours.lost, 0);
    const errors = runs.reduce((n, r) => n + r.ours.errors, 0);
    const each = (f: (r: (typeof runs)[number]) => number, digits = 0) => runs.map((r) => fmt(f(r), digits)).join(" / ");
    rows.push([connections, "ours", each((r) => r.ours.perSec), each((r) => r.ours.p99, 2), errors, lost, each((r) => r.ours.perSec / r.bare.perSec, 2)]);
    rows.push([connections, "bare fastify + better-sqlite3", each((r) => r.bare.perSec), each((r) => r.bare.p99, 2),
      runs.reduce((n, r) => n + r.bare.errors, 0), runs.reduce((n, r) => n + r.bare.lost, 0), ""]);
    goals.push({ goal: `pushed heartbeats, ${connections} connections`, target: ">= 1.0x bare baseline", measured: `${fmt(ratio, 2)}x`, pass: ratio >= 1 });
    goals.push({ goal: `pushed heartbeats lost, ${connections} connections`, target: "0", measured: String(lost), pass: lost === 0 && errors === 0 });
    if (connections === 64) goals.push({ goal: "pushed heartbeat p99, 64 connections", target: "<= 10 ms", measured: `${fmt(oursP99)} ms`, pass: oursP99 <= 10 });
  }
  return {
    tables: [{
      title: `Pushed heartbeats over keep-alive loopback, ${pairs} pair(s) of ${ms / 1000} s runs per connection count, ${AGENTS} agent names round-robin`,
      columns: ["connections", "server", "heartbeats/s (each run)", "p99 ms (each run)", "errors", "lost", "ratio (each pair)"],
      rows,
      notes: [
        "each server in its own process (bench/workers/push-server.ts); load from the bench process; lost = 202s minus heartbeats counted in the database",
        "the pairs alternate which server runs first; the goals take the median ratio and the median p99",
      ],
    }],
    goals,
  };
}

const bench: BenchModule = { name: "push", run };
export default bench;

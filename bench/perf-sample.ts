/**
 * The PerformanceMonitorAgent's sample cycle at 1k and 10k agents (90% live, 10% stale for days,
 * 1 in 7 with errors in the window): `store.perf.readFleet` alone, and the whole cycle the
 * sample/record nodes run (collectSample + perf.record + perf.prune). Medians of several cycles.
 */
import { join } from "node:path";
import { collectSample } from "../src/agents/performance/sample.js";
import { SharedState } from "../src/storage/sqlite/index.js";
import { fmt, int, median } from "./lib/stats.js";
import type { BenchModule, BenchOptions, FigureTable, Goal } from "./lib/types.js";

const NOW = 1_800_000_000_000;
const SINCE = NOW - 60_000;

async function fleet(path: string, n: number): Promise<SharedState> {
  const store = await SharedState.open({ path, clock: { now: () => NOW, sleep: () => Promise.resolve() } });
  store.db.transaction(() => {
    const agent = store.db.prepare(`INSERT INTO agents (name, state, state_changed_at, registered_at, started_at, last_heartbeat, pid, rss_bytes, cpu_percent, hb_latency_ms, error_count)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const error = store.db.prepare(`INSERT INTO agent_errors (agent, at, message) VALUES (?, ?, 'boom')`);
    for (let i = 0; i < n; i++) {
      const stale = i % 10 === 9;
      const hb = stale ? NOW - 3 * 86_400_000 - i : NOW - (i % 60) * 1000;
      agent.run(`agent-${i}`, stale ? "stale" : "active", hb, NOW - 86_400_000, NOW - 86_400_000, hb, 10_000 + i, 50e6 + (i % 977) * 1e5, (i % 200) / 100, 0.3, i % 7 === 0 ? 2 : 0);
      if (i % 7 === 0) error.run(`agent-${i}`, NOW - (i % 50) * 1000);
    }
  })();
  return store;
}

async function run(o: BenchOptions) {
  const cycles = o.quick ? 5 : 15;
  const table: FigureTable = {
    title: `PerformanceMonitorAgent sample cycle (median of ${cycles}, ms)`,
    columns: ["agents", "readFleet ms", "readFleet max ms", "whole cycle ms", "whole cycle max ms"],
    rows: [],
    notes: ["whole cycle = collectSample (DB probes, file sizes, readFleet) + perf.record + perf.prune, as the sample and record nodes run it"],
  };
  const goals: Goal[] = [];
  for (const n of [1_000, 10_000]) {
    o.log(`sample cycle, ${n} agents`);
    const store = await fleet(join(o.tmpDir, `perf-${n}.db`), n);
    try {
      const reads: number[] = [];
      const whole: number[] = [];
      for (let i = 0; i < cycles + 1; i++) {
        let t = performance.now();
        await store.perf.readFleet(NOW + i, SINCE);
        const r = performance.now() - t;
        t = performance.now();
        const samples = await collectSample(store, store.path, NOW + i, SINCE);
        await store.perf.record(NOW + i, samples);
        await store.perf.prune(NOW + i);
        const w = performance.now() - t;
        if (i > 0) (reads.push(r), whole.push(w)); // the first warms statements and caches
      }
      table.rows.push([int(n), fmt(median(reads)), fmt(Math.max(...reads)), fmt(median(whole)), fmt(Math.max(...whole))]);
      if (n === 10_000) goals.push({ goal: "monitor sample cycle at 10k agents (median)", target: "< 100 ms", measured: `${fmt(median(whole))} ms`, pass: median(whole) < 100 });
    } finally {
      await store.close();
    }
  }
  return { tables: [table], goals };
}

const bench: BenchModule = { name: "perf-sample", run };
export default bench;

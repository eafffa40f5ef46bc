/**
 * The default fleet (`bin/start.js`, what `npm start` runs: the compiled dist/) at its default 30 s interval on a temp DB:
 * RSS and CPU over an idle window (60 s; 15 s with --quick), read from /proc/<pid>/stat and status.
 * The supervisor that starts one process per agent: each process is measured (pids
 * from the agents table) and the whole tree is summed. The window starts once the
 * HeartbeatHealthAgent is active and the tree has settled, so start-up is not counted.
 */
import { agentProcs as agents, alive, startBenchFleet } from "./lib/fleet-db.js";
import { stopChild } from "./lib/procs.js";
import { cpuTimeMs, rssBytes } from "./lib/proc-stats.js";
import { fmt, mb, sleep, waitFor } from "./lib/stats.js";
import type { BenchModule, BenchOptions, Goal } from "./lib/types.js";

const MONITOR = "HeartbeatHealthAgent";

const FLEET = ["HeartbeatHealthAgent", "PerformanceMonitorAgent", "LangSmithBridgeAgent"];

async function run(o: BenchOptions) {
  const windowMs = o.quick ? 15_000 : 60_000;
  const settleMs = o.quick ? 2_000 : 5_000;
  const started = performance.now();
  const { child, dbPath, stderr } = startBenchFleet(o.tmpDir, "monitor.db", "start.js");
  try {
    await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`monitor exited with ${child.exitCode}: ${stderr()}`);
      const all = agents(dbPath);
      return FLEET.every((name) => all.some((a) => a.name === name && a.state === "active"));
    }, 120_000, `${FLEET.join(", ")} to become active`, 50);
    const startupMs = performance.now() - started;
    await sleep(settleMs);
    const procs = [{ name: "supervisor + dashboard (bin/start.js)", pid: child.pid! }];
    for (const a of agents(dbPath)) if (a.pid && a.pid !== child.pid && alive(a.pid)) procs.push({ name: a.name, pid: a.pid });
    const rss = new Map<number, number[]>(procs.map((p) => [p.pid, []]));
    const cpu0 = new Map(procs.map((p) => [p.pid, cpuTimeMs(p.pid)]));
    const t0 = performance.now();
    o.log(`sampling ${procs.map((p) => `${p.name} ${p.pid}`).join(", ")} for ${windowMs / 1000} s`);
    while (performance.now() - t0 < windowMs) {
      for (const p of procs) if (alive(p.pid)) rss.get(p.pid)!.push(rssBytes(p.pid));
      await sleep(1000);
    }
    const wall = performance.now() - t0;
    const rows = procs.map((p) => {
      const r = rss.get(p.pid)!;
      const cpu = alive(p.pid) ? ((cpuTimeMs(p.pid) - cpu0.get(p.pid)!) / wall) * 100 : NaN;
      return { name: p.name, pid: p.pid, rssMax: Math.max(...r), rssEnd: r.at(-1) ?? NaN, cpu };
    });
    const exit = await stopChild(child, "SIGTERM", 15_000);
    const total = { rssEnd: rows.reduce((s, r) => s + r.rssEnd, 0), rssMax: rows.reduce((s, r) => s + r.rssMax, 0), cpu: rows.reduce((s, r) => s + r.cpu, 0) };
    const monitor = rows.find((r) => r.name === MONITOR);
    const goals: Goal[] = [
      { goal: "default fleet (npm start) total RSS after the idle window", target: "<= 300 MB", measured: `${mb(total.rssEnd)} MB`, pass: total.rssEnd <= 300 * 2 ** 20 },
      { goal: "default fleet whole-tree idle CPU", target: "< 1%", measured: `${fmt(total.cpu, 3)}%`, pass: total.cpu < 1 },
      { goal: "every agent active after npm start", target: "<= 2 s", measured: `${fmt(startupMs / 1000, 2)} s`, pass: startupMs <= 2000 },
      { goal: `idle CPU of the ${MONITOR} process (30 s interval)`, target: "< 1%", measured: `${fmt(monitor?.cpu ?? NaN, 3)}%`, pass: (monitor?.cpu ?? Infinity) < 1 },
    ];
    return {
      tables: [{
        title: `Default fleet (bin/start.js from dist/, default HEARTBEAT_INTERVAL=30) over ${windowMs / 1000} s idle; start-up to every agent active ${fmt(startupMs / 1000, 1)} s; exit code on SIGTERM ${exit}`,
        columns: ["process", "pid", "RSS MB at end", "RSS MB max", "CPU % of one core"],
        rows: [
          ...rows.map((r) => [r.name, r.pid, mb(r.rssEnd), mb(r.rssMax), fmt(r.cpu, 3)]),
          ["total", "", mb(total.rssEnd), mb(total.rssMax), fmt(total.cpu, 3)],
        ],
        notes: [
          "CPU = (utime+stime delta from /proc/<pid>/stat) / wall time of the window; RSS = VmRSS sampled every second.",
          `the goal (idle CPU < 1%) is the monitor's: its own process; 'total' sums the supervisor, the dashboard and every agent process.`,
        ],
      }],
      goals,
    };
  } finally {
    await stopChild(child, "SIGKILL");
  }
}

const bench: BenchModule = { name: "monitor", run };
export default bench;

/**
 * What one more graph agent costs: the fleet (`bg-agents start`, compiled dist/) with the example
 * of a user's own agent (examples/user-agent/graph.ts) added twice, `--agent MyAgentJs=` its
 * compiled .js (dist/examples/, as a project that builds its TypeScript runs it) and `--agent
 * MyAgentTs=` the .ts itself (run through tsx). RSS of each, and of any child process, after
 * an idle window (30 s; 10 s with --quick) at the default 30 s interval, read from /proc.
 */
import { join } from "node:path";
import { agentProcs, alive, childPids, startBenchFleet } from "./lib/fleet-db.js";
import { REPO_ROOT, stopChild } from "./lib/procs.js";
import { rssBytes } from "./lib/proc-stats.js";
import { mb, sleep, waitFor } from "./lib/stats.js";
import type { BenchModule, BenchOptions, Goal } from "./lib/types.js";

const AGENTS = {
  MyAgentJs: join(REPO_ROOT, "dist/examples/user-agent/graph.js"),
  MyAgentTs: join(REPO_ROOT, "examples/user-agent/graph.ts"),
};

async function run(o: BenchOptions) {
  const windowMs = o.quick ? 10_000 : 30_000;
  const args = ["start", "--no-dashboard", ...Object.entries(AGENTS).flatMap(([name, path]) => ["--agent", `${name}=${path}`])];
  const { child, dbPath, stderr } = startBenchFleet(o.tmpDir, "extra.db", "bg-agents.js", args);
  try {
    const names = Object.keys(AGENTS);
    const pids = await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`bg-agents start exited with ${child.exitCode}: ${stderr()}`);
      const active = agentProcs(dbPath).filter((a) => names.includes(a.name) && a.state === "active" && a.pid);
      return active.length === names.length ? new Map(active.map((a) => [a.name, a.pid!])) : undefined;
    }, 120_000, `${names.join(", ")} to become active`, 100);
    o.log(`idle for ${windowMs / 1000} s: ${[...pids].map(([n, p]) => `${n} ${p}`).join(", ")}`);
    await sleep(windowMs);
    const rows = [...pids].map(([name, pid]) => {
      const helpers = childPids(pid).filter(alive);
      return { name, pid, rss: rssBytes(pid), helpers: helpers.reduce((n, p) => n + rssBytes(p), 0), helperPids: helpers };
    });
    await stopChild(child, "SIGTERM", 15_000);
    const js = rows.find((r) => r.name === "MyAgentJs")!;
    const ts = rows.find((r) => r.name === "MyAgentTs")!;
    const goals: Goal[] = [
      { goal: "an extra graph agent process (a user's compiled graph module)", target: "<= 100 MB", measured: `${mb(js.rss)} MB`, pass: js.rss <= 100 * 2 ** 20 },
    ];
    return {
      tables: [{
        title: `One more graph agent (examples/user-agent/graph.ts) under bg-agents start, RSS after ${windowMs / 1000} s idle`,
        columns: ["agent", "module", "pid", "RSS MB", "its child processes", "their RSS MB"],
        rows: rows.map((r) => [r.name, AGENTS[r.name as keyof typeof AGENTS].slice(REPO_ROOT.length), r.pid, mb(r.rss), r.helperPids.join(" ") || "none", mb(r.helpers)]),
        notes: [
          "RSS = VmRSS from /proc/<pid>/status; child processes are counted from every thread's /proc/<pid>/task/<tid>/children.",
          "the .ts module is run through tsx, whose module hooks run on a loader thread of their own on Node 20 (a second V8 isolate with tsx and esbuild's API loaded): that is the difference.",
          `the .ts agent: ${mb(ts.rss)} MB, plus ${mb(ts.helpers)} MB in its child processes; the goal is the compiled one's (tsx only for a user's own .ts module).`,
        ],
      }],
      goals,
    };
  } finally {
    await stopChild(child, "SIGKILL");
  }
}

const bench: BenchModule = { name: "extra-agent", run };
export default bench;

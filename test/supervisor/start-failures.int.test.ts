/**
 * `bg-agents start` failing must not leave agents behind. An unsafe dashboard bind
 * (DASHBOARD_HOST=0.0.0.0 without API_TOKEN) is refused before any agent starts: exit 2, a message
 * naming API_TOKEN/DASHBOARD_HOST, no agent process ever spawned, no agent active in the DB. An
 * error after the agents started (fixtures/fail-after-start.ts) stops them: every system agent
 * `stopped`, no process of the supervisor left.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killCliChildren, startCli } from "../helpers/cli.js";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { sleep, waitFor } from "../helpers/wait.js";
import { fleetEnv, pidAlive } from "../helpers/fleet.js";

const AGENTS = ["HeartbeatHealthAgent", "PerformanceMonitorAgent", "LangSmithBridgeAgent"];

/** Processes started by the supervisor with pid `supervisorPid` (spawnAgent marks them with BG_SUPERVISOR_PID), zombies excluded. */
function childrenOf(supervisorPid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      if (stat.slice(stat.lastIndexOf(")") + 2)[0] === "Z") continue;
      if (readFileSync(`/proc/${d}/environ`, "utf8").split("\0").includes(`BG_SUPERVISOR_PID=${supervisorPid}`)) out.push(Number(d));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return out;
}

/** Records every process of `supervisorPid` seen until stop() (polls /proc every 20 ms). */
function watchChildren(supervisorPid: number): { seen: Set<number>; stop: () => Promise<void> } {
  const seen = new Set<number>();
  let on = true;
  const loop = (async () => {
    while (on) {
      for (const p of childrenOf(supervisorPid)) seen.add(p);
      await sleep(20);
    }
  })();
  return { seen, stop: async () => ((on = false), await loop) };
}

const leftovers: number[] = [];

afterEach(async () => {
  for (const p of leftovers.splice(0)) if (pidAlive(p)) process.kill(p, "SIGKILL");
  await killCliChildren();
  await killChildren();
  removeTempDirs();
});

describe("bg-agents start failing", () => {
  it("refuses DASHBOARD_HOST=0.0.0.0 without API_TOKEN before starting any agent (exit 2)", async () => {
    const dir = makeTempDir("bga-unsafe-bind-");
    const env = fleetEnv(dir, { DASHBOARD_HOST: "0.0.0.0" });
    const run = startCli(["start"], { cwd: dir, env });
    const watch = watchChildren(run.proc.pid!);
    const timer = setTimeout(() => run.proc.kill("SIGKILL"), 60_000);
    const r = await run.done;
    clearTimeout(timer);
    await sleep(3_000); // an agent spawned late would show up (and register) now
    await watch.stop();
    leftovers.push(...watch.seen);
    const output = `${r.stdout}\n${r.stderr}`;

    expect(r.code, output).toBe(2);
    expect(r.stderr).toMatch(/API_TOKEN/);
    expect(r.stderr).toMatch(/DASHBOARD_HOST|0\.0\.0\.0/);
    expect(output).not.toMatch(/started \(pid \d+/);
    expect([...watch.seen], `agent processes started by the refused supervisor\n${output}`).toEqual([]);
    expect(childrenOf(run.proc.pid!)).toEqual([]);
    if (existsSync(env.DATABASE_PATH!)) {
      const store = await SharedState.open({ path: env.DATABASE_PATH!, lockTimeoutMs: 20_000 });
      try {
        const live = (await store.getRegisteredAgents()).filter((a) => a.state === "active" || a.state === "initializing");
        expect(live.map((a) => `${a.name} ${a.state} pid ${a.pid}`)).toEqual([]);
      } finally {
        await store.close();
      }
    }
  }, 90_000);

  it("stops every agent when the supervisor fails after starting them (no orphans, all stopped)", async () => {
    const dir = makeTempDir("bga-fail-after-start-");
    const env = fleetEnv(dir);
    const sup = spawnTs("test/supervisor/fixtures/fail-after-start.ts", { env, cwd: dir });
    const pids = Object.values(JSON.parse((await sup.waitForLine(/agents active (\{.*\})/, 90_000))[1]!) as Record<string, number>);
    leftovers.push(...pids);
    expect(pids).toHaveLength(3);
    const exit = await sup.exited;
    expect(exit.code, sup.stderr.slice(-3000)).toBe(1);
    expect(sup.stderr).toMatch(/injected failure after start/);
    // every agent was stopped by the supervisor before it returned, not orphaned
    expect(pids.filter((p) => pidAlive(p)), "agent processes alive after the supervisor exited").toEqual([]);
    expect(childrenOf(sup.pid)).toEqual([]);
    const store = await SharedState.open({ path: env.DATABASE_PATH!, lockTimeoutMs: 20_000 });
    try {
      for (const n of AGENTS) expect((await store.getAgent(n))?.state, n).toBe("stopped");
      expect((await store.getAgent("SystemInitializer"))?.state).toBe("stopped");
    } finally {
      await store.close();
    }
    await waitFor(() => childrenOf(sup.pid).length === 0, { timeoutMs: 5_000 });
  }, 120_000);
});

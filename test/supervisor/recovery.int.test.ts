/**
 * Healing limits and restarts of the supervisor itself, with real processes:
 * an agent that crashes at start-up every time ends `failed` after the restart budget, with
 * growing backoff between tries; a supervisor killed with SIGKILL and started again finds the
 * leftovers, marks them, and brings the fleet back without duplicates; a database that is not
 * SQLite stops start-up with a clear message and is left untouched.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { agentProcessesOf, agentsByName, fleetEnv, killFleets, pidAlive, startFleet, SYSTEM_AGENTS, waitActive } from "../helpers/fleet.js";

afterEach(async () => {
  await killChildren();
  await killFleets();
  removeTempDirs();
});

describe("supervisor healing limits", () => {
  it("leaves an agent that crashes at start-up every time `failed` after the budget, backing off between tries", async () => {
    const f = await startFleet({
      env: { RESTART_BUDGET: "3", RESTART_WINDOW: "120", BACKOFF_FACTOR: "2" },
      args: ["--script", `Crashy=${join(process.cwd(), "test/fixtures/fleet-crash-agent.ts")}`],
    });
    const failed = await waitFor(async () => {
      const a = await f.store.getAgent("Crashy");
      return a?.state === "failed" ? a : undefined;
    }, { timeoutMs: 90_000, intervalMs: 200, message: "Crashy failed" });
    expect(failed.stateReason).toMatch(/restart budget spent \(3 restarts within 120s\).*bg-agents restart Crashy/);
    expect(failed.restarts).toBe(3);

    const story = await f.store.getTransitions({ agent: "Crashy" });
    const recovering = story.filter((t) => t.to === "recovering");
    const delays = recovering.map((t) => Number(/in (\d+) ms/.exec(t.reason ?? "")?.[1]));
    expect(delays).toEqual([200, 400, 800]); // base min(1 s, HEARTBEAT_INTERVAL) × BACKOFF_FACTOR^n
    // each new try registers (→ initializing) no earlier than the announced delay after `recovering`
    for (const r of recovering) {
      const next = story.find((t) => t.id > r.id && t.to === "initializing")!;
      expect(next.at - r.at).toBeGreaterThanOrEqual(Number(/in (\d+) ms/.exec(r.reason!)![1]));
    }
    expect(story.at(-1)).toMatchObject({ to: "failed" });
    // and it is not restarted any more (the rest of the fleet is fine)
    await waitActive(f, SYSTEM_AGENTS);
    const later = (await f.store.getAgent("Crashy"))!;
    expect(later.state).toBe("failed");
    expect(later.restarts).toBe(3);

    // until someone asks: a restart request starts it again with a fresh budget
    await f.store.requestRestart("Crashy");
    const retried = await waitFor(async () => {
      const a = await f.store.getAgent("Crashy");
      return a && a.restarts >= 4 && a.restartRequestedAt === null ? a : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, message: "Crashy restarted on request" });
    expect(retried.restarts).toBeGreaterThanOrEqual(4);
  }, 150_000);

  it("after a SIGKILL of the supervisor, a new one marks the leftovers and brings the fleet back without duplicates", async () => {
    const f = await startFleet();
    const first = await waitActive(f, SYSTEM_AGENTS);
    const oldPids = SYSTEM_AGENTS.map((n) => first.get(n)!.pid!);
    f.supervisor.kill("SIGKILL");
    await f.supervisor.exited;
    // its agents notice the closed IPC channel and exit without touching their records
    await waitFor(() => oldPids.every((p) => !pidAlive(p)), { timeoutMs: 20_000, message: "old agent processes gone" });
    expect((await agentsByName(f.store)).get("HeartbeatHealthAgent")?.state).toBe("active");

    const since = Date.now();
    const g = await startFleet({ dir: f.dir });
    const second = await waitActive(g, SYSTEM_AGENTS);
    const leftovers = (await g.store.getTransitions({ since, to: "stopped" })).filter((t) => /left behind by a previous run/.test(t.reason ?? ""));
    expect(leftovers.map((t) => t.agent).sort()).toEqual([...SYSTEM_AGENTS].sort());
    expect(leftovers.find((t) => t.agent === "PerformanceMonitorAgent")!.reason).toContain(`process ${first.get("PerformanceMonitorAgent")!.pid} `);
    // one record and one live process per agent
    const newPids = SYSTEM_AGENTS.map((n) => second.get(n)!.pid!);
    expect(newPids.some((p) => oldPids.includes(p))).toBe(false);
    expect((await g.store.getRegisteredAgents()).map((a) => a.name).sort()).toEqual([...SYSTEM_AGENTS].sort());
    expect(agentProcessesOf(f.db).sort()).toEqual(newPids.filter((p) => p !== g.supervisor.pid).sort());

    // one supervisor per database: a second one refuses to start and names the first
    const third = spawnTs("src/cli/main.ts", { args: ["start"], env: g.env, cwd: g.dir });
    expect((await third.exited).code).toBe(2);
    expect(third.stderr).toMatch(new RegExp(`Another supervisor already runs on .*pid ${g.supervisor.pid}`));
  }, 150_000);

  it("refuses a DATABASE_PATH that is not SQLite, leaving the file untouched", async () => {
    const dir = makeTempDir("bga-fleet-");
    const env = fleetEnv(dir);
    writeFileSync(env.DATABASE_PATH!, "these are my notes, not a database\n");
    const sup = spawnTs("src/cli/main.ts", { args: ["start"], env, cwd: dir });
    const exit = await sup.exited;
    expect(exit.code).toBe(2);
    expect(sup.stderr).toMatch(/is not a SQLite database.*left untouched/);
    expect(readFileSync(env.DATABASE_PATH!, "utf8")).toBe("these are my notes, not a database\n");
  }, 60_000);
});

/**
 * An agent process whose supervisor dies must exit by itself, also when the supervisor dies while
 * the agent is still starting (loading modules, opening the database): a stand-in supervisor
 * (fixtures/orphan-parent.ts) starts agent-main through the supervisor's own spawnAgent (IPC
 * channel + env) and then exits or is SIGKILLed at once, a little later, or once the agent is active;
 * the same for a user's `--script` program, which gets the lifeline from spawnAgent too.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killChildren, REPO_ROOT, spawnTs, type Child } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { fleetEnv, pidAlive } from "../helpers/fleet.js";

/** A user's program reporting through AgentClient, with no lifeline code of its own. */
const SCRIPT = join(REPO_ROOT, "test/fixtures/fleet-client.ts");

/** How long an orphaned agent may take to notice (it has to finish booting node + tsx first). */
const EXIT_WITHIN_MS = 10_000;

/** Alive and not a zombie (the orphan is re-parented; an init that does not reap would leave a zombie). */
function running(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

const agents: number[] = [];

afterEach(async () => {
  for (const p of agents.splice(0)) if (running(p)) process.kill(p, "SIGKILL");
  await killChildren();
  removeTempDirs();
});

function startParent(env: Record<string, string>): { parent: Child; dir: string; db: string } {
  const dir = makeTempDir("bga-orphan-");
  const fenv = fleetEnv(dir, env);
  const parent = spawnTs("test/supervisor/fixtures/orphan-parent.ts", { env: fenv, cwd: dir });
  return { parent, dir, db: fenv.DATABASE_PATH! };
}

async function agentPid(parent: Child): Promise<number> {
  const pid = Number((await parent.waitForLine(/agent (\d+)/, 30_000))[1]);
  agents.push(pid);
  return pid;
}

async function expectExitsBySelf(pid: number, parent: Child, since: number): Promise<void> {
  await waitFor(() => !running(pid), {
    timeoutMs: EXIT_WITHIN_MS,
    intervalMs: 50,
    message: () => `agent pid ${pid} still running ${Date.now() - since} ms after its supervisor died; its output:\n${parent.stdout.slice(-2000)}\n${parent.stderr.slice(-2000)}`,
  });
}

describe("an agent whose supervisor dies", () => {
  for (const how of ["exit", "kill"] as const) {
    it(`exits by itself when the supervisor ${how === "exit" ? "exits" : "is SIGKILLed"} right after starting it`, async () => {
      const { parent } = startParent({ DIE_HOW: how });
      const pid = await agentPid(parent);
      await parent.exited;
      const since = Date.now();
      expect(running(pid), "the agent was still starting when its supervisor died").toBe(true);
      await expectExitsBySelf(pid, parent, since);
    }, 60_000);
  }

  for (const ms of [300, 1500]) {
    it(`exits by itself when the supervisor is SIGKILLed ${ms} ms into the agent's start-up`, async () => {
      const { parent } = startParent({ DIE_HOW: "kill", DIE_AFTER_MS: String(ms) });
      const pid = await agentPid(parent);
      await parent.exited;
      const since = Date.now();
      await expectExitsBySelf(pid, parent, since);
    }, 60_000);
  }

  // a user's --script program has no lifeline code of its own: spawnAgent preloads it
  it("a --script program exits by itself when the supervisor is SIGKILLed while it starts", async () => {
    const { parent } = startParent({ AGENT_SCRIPT: SCRIPT, CLIENT_NAME: "users-script", DIE_HOW: "kill" });
    const pid = await agentPid(parent);
    await parent.exited;
    const since = Date.now();
    expect(running(pid), "the script was still starting when its supervisor died").toBe(true);
    await expectExitsBySelf(pid, parent, since);
  }, 60_000);

  it("a --script program exits by itself when the supervisor is SIGKILLed while it works", async () => {
    const { parent } = startParent({ AGENT_SCRIPT: SCRIPT, CLIENT_NAME: "users-script", DIE_AFTER_MS: "600000" });
    const pid = await agentPid(parent);
    // the script's stdout is its parent's: it says when it is registered and heartbeating
    await parent.waitForLine(new RegExp(`ready ${pid}`), 30_000);
    parent.kill("SIGKILL");
    await parent.exited;
    await expectExitsBySelf(pid, parent, Date.now());
  }, 60_000);

  it("exits by itself when the supervisor is SIGKILLed after the agent is active, leaving its record alone", async () => {
    const { parent, db } = startParent({ DIE_AFTER_MS: "600000" });
    const pid = await agentPid(parent);
    const store = await waitFor(() => SharedState.open({ path: db, lockTimeoutMs: 20_000 }), { timeoutMs: 30_000 });
    try {
      await waitFor(async () => (await store.getAgent("PerformanceMonitorAgent"))?.state === "active", { timeoutMs: 60_000, intervalMs: 100, message: "agent active" });
      parent.kill("SIGKILL");
      await parent.exited;
      await expectExitsBySelf(pid, parent, Date.now());
      // gone without a word: the next SystemInitializer finds the leftover and marks it
      expect((await store.getAgent("PerformanceMonitorAgent"))?.state).toBe("active");
    } finally {
      await store.close();
    }
  }, 90_000);
});

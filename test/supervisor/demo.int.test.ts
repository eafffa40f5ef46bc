/**
 * `bg-agents start --demo` end to end, with real processes on a temp DB and short intervals:
 * DemoWorker-hangs stops heartbeating but stays alive, is marked stale by the HeartbeatHealthAgent,
 * killed and restarted by the supervisor, and is active again; DemoWorker-crashes exits with code 1
 * and is restarted; the restarted workers plan their next failure far enough out to stay within
 * the restart budget; SIGTERM then stops everything, exit 0, no process left.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { Transition } from "../../src/storage/index.js";
import { minFailureSpacingMs } from "../../src/supervisor/demo-worker.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { agentProcessesOf, agentsByName, describeFleet, killFleets, pidAlive, startFleet, SYSTEM_AGENTS, waitActive, type Fleet } from "../helpers/fleet.js";

const HANG = "DemoWorker-hangs";
const CRASH = "DemoWorker-crashes";
const STEADY = "DemoWorker-steady";
const DEMO = [STEADY, HANG, CRASH];

/** Finds `steps` in order (not necessarily adjacent) in `story`; returns the matched transitions or undefined. */
function inOrder(story: Transition[], steps: Array<(t: Transition) => boolean>): Transition[] | undefined {
  const out: Transition[] = [];
  let i = 0;
  for (const t of story) {
    if (i < steps.length && steps[i]!(t)) {
      out.push(t);
      i++;
    }
  }
  return i === steps.length ? out : undefined;
}

/** The pid the worker printed for its `what` line ("NAME (pid N): demo hang after ..."). */
function pidOf(stderr: string, name: string, what: RegExp): number | undefined {
  for (const line of stderr.split("\n")) {
    const m = new RegExp(`^${name} \\(pid (\\d+)\\): (.*)$`).exec(line);
    if (m && what.test(m[2]!)) return Number(m[1]);
  }
  return undefined;
}

/** Adds the fleet's story (transitions, warnings, output) to a failed wait. */
async function explained<T>(f: Fleet, wait: () => Promise<T>): Promise<T> {
  try {
    return await wait();
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${await describeFleet(f)}\noutput:\n${f.supervisor.stderr.slice(-4000)}`);
  }
}

describe("bg-agents start --demo", () => {
  afterAll(async () => {
    await killFleets();
    removeTempDirs();
  });

  it("shows a hang (stale → killed → restarted) and a crash (exit → restarted), then stops cleanly", async () => {
    // first failures come 2-4 stale thresholds after start-up: 4-8 s here
    const f = await startFleet({ args: ["--demo", "--no-dashboard"], env: { HEARTBEAT_INTERVAL: "0.5", STALE_THRESHOLD: "2" } });
    const story = (name: string) => f.store.getTransitions({ agent: name });
    const why = () => `${f.supervisor.stderr.slice(-4000)}`;

    const hang = await explained(f, () => waitFor(async () => inOrder(await story(HANG), [
      (t) => t.from === "initializing" && t.to === "active",
      (t) => t.from === "active" && t.to === "stale" && /no heartbeat/.test(t.reason ?? ""),
      (t) => t.to === "recovering" && /^stale: no heartbeat .*; restart 1 in \d+ ms/.test(t.reason ?? ""),
      (t) => t.to === "initializing",
      (t) => t.from === "initializing" && t.to === "active",
    ]), { timeoutMs: 45_000, intervalMs: 100, message: `${HANG} hung, stale, restarted, active` }));
    // the hung process was alive when found stale (killed by the supervisor, not exited by itself)
    const hungPid = pidOf(f.supervisor.stderr, HANG, /^demo hang after/);
    expect(hungPid, why()).toBeDefined();
    expect(f.supervisor.stderr).toContain(`${HANG} (pid ${hungPid}) stale: no heartbeat`);
    expect(pidAlive(hungPid)).toBe(false);

    const crash = await explained(f, () => waitFor(async () => inOrder(await story(CRASH), [
      (t) => t.from === "initializing" && t.to === "active",
      (t) => t.to === "recovering" && /exited \(code 1\); restart 1 in \d+ ms/.test(t.reason ?? ""),
      (t) => t.to === "initializing",
      (t) => t.from === "initializing" && t.to === "active",
    ]), { timeoutMs: 30_000, intervalMs: 100, message: `${CRASH} crashed, restarted, active` }));
    const crashedPid = pidOf(f.supervisor.stderr, CRASH, /^demo crash after .* \(exit code 1\)/);
    expect(crashedPid, why()).toBeDefined();

    const now = await waitActive(f, [...SYSTEM_AGENTS, ...DEMO]);
    for (const [name, old] of [[HANG, hungPid], [CRASH, crashedPid]] as const) {
      expect(now.get(name)!.pid).not.toBe(old);
      expect(now.get(name)!.restarts, name).toBe(1);
    }
    expect(now.get(STEADY)!.restarts).toBe(0);

    // each restarted worker plans its next failure at least RESTART_WINDOW / (RESTART_BUDGET - 1) after its restart
    for (const [name, recovering] of [[HANG, hang[2]!], [CRASH, crash[1]!]] as const) {
      const newPid = now.get(name)!.pid!;
      const plan = await waitFor(() => new RegExp(`^${name} \\(pid ${newPid}\\): demo \\w+ planned in [\\d.]+s, at (\\S+)$`, "m").exec(f.supervisor.stderr),
        { timeoutMs: 10_000, message: why });
      expect(Date.parse(plan[1]!) - recovering.at, name).toBeGreaterThanOrEqual(minFailureSpacingMs());
    }

    const pids = [...(await agentsByName(f.store)).values()].map((a) => a.pid).filter((p): p is number => !!p && p !== f.supervisor.pid);
    f.supervisor.kill("SIGTERM");
    const exit = await f.supervisor.exited;
    expect(exit.code, why()).toBe(0);
    const after = await agentsByName(f.store);
    for (const n of [...SYSTEM_AGENTS, ...DEMO]) expect(after.get(n)?.state, n).toBe("stopped");
    await waitFor(() => pids.every((p) => !pidAlive(p)), { timeoutMs: 5_000, message: "agent pids gone" });
    expect(agentProcessesOf(f.db)).toEqual([]);
  }, 90_000);
});

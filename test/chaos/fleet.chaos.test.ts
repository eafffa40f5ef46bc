/**
 * The chaos suite (issue 11, `npm run test:chaos`): faults injected into real fleets
 * (`bg-agents start`, short intervals), one assertion each, and a table at the end: fault,
 * expected, what happened, time to recover. Needs root (tmpfs) and libfaketime, as CI has.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AgentRecord } from "../../src/storage/index.js";
import { diskFullDay } from "../supervisor/disk-full-scenario.js";
import { agentProcessesOf, agentsByName, killFleets, pidAlive, startFleet, supervisorLog, SYSTEM_AGENTS, waitActive, type Fleet } from "../helpers/fleet.js";
import { killChildren, spawnTs, type Child } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { unmountAll } from "../helpers/tmpfs.js";
import { sleep, waitFor } from "../helpers/wait.js";
import { fault, printTable } from "./chaos-table.js";

const AGENTS = ["HeartbeatHealthAgent", "PerformanceMonitorAgent", "LangSmithBridgeAgent"];
const ENV = { HEARTBEAT_INTERVAL: "0.25", STALE_THRESHOLD: "1.5", RESTART_BUDGET: "50", LOCK_TIMEOUT: "2" };
const LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

afterAll(async () => {
  printTable();
  await killChildren();
  await killFleets();
  unmountAll();
  removeTempDirs();
});

/** Waits until `name` is active as a live process other than `oldPid`. */
async function activeAgain(f: Fleet, name: string, oldPid: number): Promise<AgentRecord> {
  return waitFor(async () => {
    const a = await f.store.getAgent(name);
    return a?.state === "active" && a.pid !== oldPid && pidAlive(a.pid) ? a : undefined;
  }, { timeoutMs: 60_000, intervalMs: 50, message: `${name} active again as a new process` });
}

/** Stale marks (transition ids above `afterId`) of agents other than `except`. */
async function staleMarks(f: Fleet, afterId: number, except: string[] = []): Promise<string[]> {
  return (await f.store.getTransitions({ to: "stale", limit: 10_000 })).filter((t) => t.id > afterId && !except.includes(t.agent)).map((t) => t.agent);
}

async function lastTransitionId(f: Fleet): Promise<number> {
  return Math.max(0, ...(await f.store.getTransitions({ limit: 10_000 })).map((t) => t.id));
}

function expectSamePids(before: Map<string, AgentRecord>, after: Map<string, AgentRecord>, names: string[]): void {
  for (const n of names) expect(after.get(n)?.pid, `${n} was not restarted`).toBe(before.get(n)?.pid);
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

async function healthz(port: number): Promise<number | undefined> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) })).status;
  } catch {
    return undefined;
  }
}

describe("chaos: one fleet, each part killed and frozen", () => {
  let f: Fleet;

  it("starts", async () => {
    f = await startFleet({ env: ENV });
    await waitActive(f, SYSTEM_AGENTS);
  }, 120_000);

  for (const name of AGENTS) {
    it(`SIGKILL ${name}`, () => fault(`SIGKILL ${name}`, "restarted as a new process; the others untouched", async () => {
      const before = await waitActive(f, SYSTEM_AGENTS);
      const pid = before.get(name)!.pid!;
      const t0 = Date.now();
      process.kill(pid, "SIGKILL");
      const a = await activeAgain(f, name, pid);
      const recoverMs = Date.now() - t0;
      expectSamePids(before, await agentsByName(f.store), SYSTEM_AGENTS.filter((n) => n !== name));
      return { happened: `active again as pid ${a.pid}`, recoverMs };
    }));

    it(`SIGSTOP ${name}`, () => fault(`SIGSTOP ${name}`, "noticed as hung, killed and restarted; the others untouched", async () => {
      const before = await waitActive(f, SYSTEM_AGENTS);
      const pid = before.get(name)!.pid!;
      const t0 = Date.now();
      process.kill(pid, "SIGSTOP");
      try {
        const a = await activeAgain(f, name, pid);
        const recoverMs = Date.now() - t0;
        await waitFor(() => !pidAlive(pid), { timeoutMs: 10_000, message: `the frozen ${name} (pid ${pid}) was killed` });
        expectSamePids(before, await agentsByName(f.store), SYSTEM_AGENTS.filter((n) => n !== name));
        return { happened: `frozen pid killed, active again as pid ${a.pid}`, recoverMs };
      } finally {
        if (pidAlive(pid)) process.kill(pid, "SIGCONT");
      }
    }));
  }

  it("SIGSTOP the supervisor", () => fault("SIGSTOP supervisor (4 s)", "agents keep heartbeating (none stale), nothing restarted, supervisor active after SIGCONT", async () => {
    const before = await waitActive(f, SYSTEM_AGENTS);
    const mark = await lastTransitionId(f);
    process.kill(f.supervisor.pid, "SIGSTOP");
    await sleep(4_000);
    const t0 = Date.now();
    process.kill(f.supervisor.pid, "SIGCONT");
    const after = await waitActive(f, SYSTEM_AGENTS);
    const recoverMs = Date.now() - t0;
    expect(await staleMarks(f, mark, ["SystemInitializer"])).toEqual([]);
    expectSamePids(before, after, SYSTEM_AGENTS);
    const seen = (await staleMarks(f, mark)).length ? "SystemInitializer shown stale while frozen, " : "";
    return { happened: `${seen}agents untouched, all active`, recoverMs };
  }));

  it("SIGSTOP and SIGKILL a dashboard server", async () => {
    const port = await freePort();
    const start = (): Child => spawnTs("src/cli/main.ts", { args: ["dashboard", "--port", String(port)], env: f.env, cwd: f.dir });
    let dash = start();
    await waitFor(async () => (await healthz(port)) === 200, { timeoutMs: 60_000, message: "dashboard answers /healthz" });
    await fault("SIGSTOP dashboard (3 s)", "the fleet does not notice; /healthz answers after SIGCONT", async () => {
      const before = await waitActive(f, SYSTEM_AGENTS);
      const mark = await lastTransitionId(f);
      process.kill(dash.pid, "SIGSTOP");
      await sleep(3_000);
      const t0 = Date.now();
      process.kill(dash.pid, "SIGCONT");
      await waitFor(async () => (await healthz(port)) === 200, { timeoutMs: 20_000, message: "/healthz after SIGCONT" });
      const recoverMs = Date.now() - t0;
      expect(await staleMarks(f, mark)).toEqual([]);
      expectSamePids(before, await agentsByName(f.store), SYSTEM_AGENTS);
      return { happened: "fleet untouched, /healthz 200", recoverMs };
    });
    await fault("SIGKILL dashboard", "the fleet does not notice; a new dashboard on the same port serves", async () => {
      const before = await waitActive(f, SYSTEM_AGENTS);
      const t0 = Date.now();
      dash.kill("SIGKILL");
      await dash.exited;
      dash = start();
      await waitFor(async () => (await healthz(port)) === 200, { timeoutMs: 60_000, message: "a new dashboard answers" });
      const recoverMs = Date.now() - t0;
      expectSamePids(before, await agentsByName(f.store), SYSTEM_AGENTS);
      dash.kill("SIGTERM");
      await dash.exited;
      return { happened: "fleet untouched, new dashboard /healthz 200", recoverMs };
    });
  }, 180_000);

  it("an event loop blocked longer than the heartbeat interval in one agent", () => fault("event loop blocked 4 s in one agent", "that agent may go stale; no other does, nothing restarted", async () => {
    const before = await waitActive(f, SYSTEM_AGENTS);
    const worker = spawnTs("test/chaos/fixtures/blocking-worker.ts", { env: { DB: f.db, NAME: "Blocker", INTERVAL_MS: "250", BLOCK_MS: "4000" } });
    await worker.waitForLine(/active/, 60_000);
    await sleep(1_000);
    const mark = await lastTransitionId(f);
    worker.proc.kill("SIGUSR2");
    await worker.waitForLine(/unblocked/, 30_000);
    const t0 = Date.now();
    await waitFor(async () => (await f.store.getAgent("Blocker"))?.state === "active" && (await f.store.getAgent("Blocker"))!.lastHeartbeat > t0, { timeoutMs: 20_000, message: "Blocker heartbeats again" });
    const recoverMs = Date.now() - t0;
    expect(await staleMarks(f, mark, ["Blocker"])).toEqual([]);
    expectSamePids(before, await agentsByName(f.store), SYSTEM_AGENTS);
    const blockerStale = (await staleMarks(f, mark)).includes("Blocker");
    worker.kill("SIGKILL");
    await worker.exited;
    return { happened: `${blockerStale ? "Blocker marked stale, then active" : "Blocker not marked"}; others untouched`, recoverMs };
  }));

  it("the database file replaced by another file", () => fault("database file replaced by a foreign file", "refused with a clear error (exit 2), fleet stopped, the foreign file untouched", async () => {
    await waitActive(f, SYSTEM_AGENTS);
    const foreign = "someone else's file, not a database\n".repeat(50);
    const tmp = join(f.dir, "foreign.tmp");
    writeFileSync(tmp, foreign);
    const t0 = Date.now();
    renameSync(tmp, f.db);
    const exit = await f.supervisor.exited;
    const recoverMs = Date.now() - t0;
    const said = supervisorLog(f).map((l) => String(l.message)).find((m) => /was replaced by another file/.test(m));
    expect(said, f.supervisor.stderr.slice(-2000)).toMatch(/database file .*state\.db was replaced by another file while in use/);
    expect(exit.code).toBe(2);
    await waitFor(() => agentProcessesOf(f.db).length === 0, { timeoutMs: 20_000, message: "every agent process stopped" });
    expect(readFileSync(f.db, "utf8")).toBe(foreign);
    return { happened: "supervisor exit 2 naming the file, agents stopped, foreign file unchanged", recoverMs };
  }));
});

describe("chaos: the supervisor killed, the database deleted", () => {
  let f: Fleet;

  it("SIGKILL the supervisor", () => fault("SIGKILL supervisor", "its agents exit (no orphans); the next start brings the fleet back", async () => {
    const dir = makeTempDir("bga-chaos-");
    f = await startFleet({ dir, env: ENV });
    const before = await waitActive(f, SYSTEM_AGENTS);
    const t0 = Date.now();
    f.supervisor.kill("SIGKILL");
    await f.supervisor.exited;
    await waitFor(() => AGENTS.every((n) => !pidAlive(before.get(n)!.pid)), { timeoutMs: 30_000, message: "agents exit with their supervisor" });
    f = await startFleet({ dir, env: ENV });
    const after = await waitActive(f, SYSTEM_AGENTS);
    const recoverMs = Date.now() - t0;
    for (const n of AGENTS) expect(after.get(n)!.pid).not.toBe(before.get(n)!.pid);
    return { happened: "agents exited, fleet active again after a new start", recoverMs };
  }), 180_000);

  it("the database file deleted", () => fault("database file deleted", "refused with a clear error (exit 2), fleet stopped, no new file written in its place", async () => {
    await waitActive(f, SYSTEM_AGENTS);
    const t0 = Date.now();
    for (const suffix of ["", "-wal", "-shm"]) if (existsSync(f.db + suffix)) renameSync(f.db + suffix, join(f.dir, `deleted${suffix}`));
    const exit = await f.supervisor.exited;
    const recoverMs = Date.now() - t0;
    const said = supervisorLog(f).map((l) => String(l.message)).find((m) => /state\.db was deleted while in use/.test(m));
    expect(said, f.supervisor.stderr.slice(-2000)).toBeDefined();
    expect(exit.code).toBe(2);
    await waitFor(() => agentProcessesOf(f.db).length === 0, { timeoutMs: 20_000, message: "every agent process stopped" });
    expect(existsSync(f.db)).toBe(false);
    return { happened: "supervisor exit 2 naming the file, agents stopped, nothing recreated", recoverMs };
  }), 120_000);
});

describe("chaos: the system clock jumps", () => {
  it("forward and back by an hour for every process of the fleet", () => fault("clock +1 h, then back 1 h (libfaketime)", "no agent marked stale by a jump; a frozen agent still found and restarted", async () => {
    const dir = makeTempDir("bga-chaos-clock-");
    const offset = join(dir, "faketime");
    writeFileSync(offset, "+0\n");
    // a wider threshold than the other faults: a jump must not mark anyone stale, and on a loaded
    // machine 1.5 s is within reach of an ordinary pause (1.6 s seen once)
    const f = await startFleet({ dir, env: { ...ENV, STALE_THRESHOLD: "4", LD_PRELOAD: LIBFAKETIME, FAKETIME_TIMESTAMP_FILE: offset, FAKETIME_NO_CACHE: "1", FAKETIME_DONT_FAKE_MONOTONIC: "1" } });
    const before = await waitActive(f, SYSTEM_AGENTS);
    const mark = await lastTransitionId(f);
    writeFileSync(offset, "+3600\n");
    await sleep(5_000);
    writeFileSync(offset, "+0\n");
    await sleep(5_000);
    const story = (await f.store.getTransitions({ limit: 10_000 })).filter((t) => t.id > mark).map((t) => `${t.at} ${t.agent} ${t.from}->${t.to} ${t.reason ?? ""}`).join("\n");
    expect(await staleMarks(f, mark), story).toEqual([]);
    expectSamePids(before, await agentsByName(f.store), SYSTEM_AGENTS);
    // a jump hides no stale agent
    const pid = before.get("PerformanceMonitorAgent")!.pid!;
    const t0 = Date.now();
    process.kill(pid, "SIGSTOP");
    try {
      await activeAgain(f, "PerformanceMonitorAgent", pid);
    } finally {
      if (pidAlive(pid)) process.kill(pid, "SIGCONT");
    }
    return { happened: "no stale marks across both jumps; frozen agent restarted", recoverMs: Date.now() - t0 };
  }), 180_000);
});

describe("chaos: the disk fills up", () => {
  it("for 30 s under the fleet's database", () => fault("disk full 30 s (tmpfs)", "no agent failed or restarted, all active again, one start/end line, integrity ok", async () => {
    const r = await diskFullDay({ fullForMs: 30_000, env: ENV });
    expect(r.failedSince).toEqual([]);
    for (const n of SYSTEM_AGENTS) {
      expect(r.after.get(n)?.pid, n).toBe(r.before.get(n)?.pid);
      expect(r.after.get(n)?.state, n).toBe("active");
    }
    expect(r.liesSeen).toEqual([]);
    expect(r.logs.filter((l) => /supervisor heartbeat failed: database or disk is full/.test(l.message))).toHaveLength(1);
    expect(r.logs.filter((l) => /supervisor heartbeat works again after \d+ failure/.test(l.message))).toHaveLength(1);
    expect(r.integrity).toBe("ok");
    return { happened: "nothing failed or restarted, all active, integrity ok", recoverMs: r.recoverMs };
  }), 240_000);
});

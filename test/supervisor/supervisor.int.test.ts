/**
 * The fleet end to end with real processes on a temp DB: `bg-agents start` brings the four system
 * agents to active; an AgentClient in another process shows up and goes stale when killed; a
 * SIGKILLed agent is detected, restarted and active again; `bg-agents restart NAME` is served;
 * SIGTERM to the supervisor leaves every agent stopped and no process alive.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERF_METRICS } from "../../src/storage/index.js";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { runCli } from "../helpers/cli.js";
import { freezeInsideTheLock, freezeOutsideTheLock } from "../helpers/freeze.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { agentProcessesOf, agentsByName, describeFleet, killFleets, pidAlive, startFleet, supervisorLog, SYSTEM_AGENTS, waitActive, type Fleet } from "../helpers/fleet.js";

const warnings = (f: Fleet) => supervisorLog(f).filter((l) => l.level !== "info").slice(-20).map((l) => `${String(l.timestamp)} ${String(l.message)}`).join("\n");

describe("bg-agents start", () => {
  let f: Fleet;

  beforeAll(async () => {
    f = await startFleet();
  }, 90_000);

  afterAll(async () => {
    await killChildren();
    await killFleets();
    removeTempDirs();
  });

  it("brings all four system agents to active, each in its own process", async () => {
    const all = await waitActive(f, SYSTEM_AGENTS);
    const pids = SYSTEM_AGENTS.map((n) => all.get(n)!.pid);
    expect(new Set(pids).size).toBe(4);
    expect(all.get("SystemInitializer")!.pid).toBe(f.supervisor.pid);
    // each heartbeat carries the process's details
    await waitFor(async () => (await f.store.getAgent("PerformanceMonitorAgent"))?.heartbeatLatencyMs != null, { timeoutMs: 20_000 });
    const perf = (await f.store.getAgent("PerformanceMonitorAgent"))!;
    expect(perf.host).toBeTruthy();
    expect(perf.version).toBeTruthy();
    expect(perf.rssBytes).toBeGreaterThan(0);
    expect(perf.cpuPercent).not.toBeNull();
    expect(perf.eventLoopLagMs).not.toBeNull();
    // performance samples land in the DB
    const latest = await waitFor(() => f.store.perf.latest(), { timeoutMs: 20_000 });
    expect(latest.samples.map((s) => s.metric)).toEqual(expect.arrayContaining([PERF_METRICS.dbProbeP95, PERF_METRICS.dbFileBytes, PERF_METRICS.agentRss]));
  }, 90_000);

  it("serves the dashboard API on loopback, showing the fleet", async () => {
    // the supervisor logs (to stderr) where it serves; DASHBOARD_PORT=0 picked a free port
    const url = await waitFor(() => /dashboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(f.supervisor.stderr)?.[1], { timeoutMs: 30_000, message: "dashboard URL logged" });
    const summary = (await (await fetch(`${url}/api/summary`)).json()) as { total: number; byState: Record<string, number> };
    expect(summary.total).toBeGreaterThanOrEqual(4);
    const agents = (await (await fetch(`${url}/api/agents`)).json()) as { agents?: { name: string }[] } | { name: string }[];
    const names = (Array.isArray(agents) ? agents : agents.agents ?? []).map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(SYSTEM_AGENTS));
  }, 60_000);

  it("shows an AgentClient from another process, and marks it stale when that process dies", async () => {
    const client = spawnTs("test/fixtures/fleet-client.ts", { env: { ...f.env, CLIENT_NAME: "users-own-agent" } });
    await client.waitForLine(/ready \d+/, 30_000);
    const rec = await waitFor(async () => {
      const a = (await agentsByName(f.store)).get("users-own-agent");
      return a?.state === "active" && a.heartbeats >= 2 ? a : undefined;
    }, { timeoutMs: 20_000 });
    expect(rec.pid).toBe(client.pid);
    client.kill("SIGKILL");
    await client.exited;
    const stale = await waitFor(async () => {
      const a = await f.store.getAgent("users-own-agent");
      return a?.state === "stale" ? a : undefined;
    }, { timeoutMs: 20_000, message: "client marked stale" });
    expect(stale.stateReason).toMatch(/no heartbeat/);
  }, 60_000);

  it("restarts an agent killed with SIGKILL and records the story", async () => {
    const before = (await f.store.getAgent("PerformanceMonitorAgent"))!;
    const since = Date.now();
    process.kill(before.pid!, "SIGKILL");
    const after = await waitFor(async () => {
      const a = await f.store.getAgent("PerformanceMonitorAgent");
      // registered by the new process (started_at): a heartbeat of a resumed cycle may make it active before that
      return a && a.state === "active" && a.pid !== before.pid && pidAlive(a.pid) && a.startedAt >= since ? a : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100, message: "PerformanceMonitorAgent active again with a new pid" });
    expect(after.restarts).toBe(before.restarts + 1);
    expect(pidAlive(before.pid)).toBe(false);
    const story = (await f.store.getTransitions({ agent: "PerformanceMonitorAgent", since })).map((t) => `${t.from}->${t.to}`);
    // while the new process starts, the monitor may mark the silent record stale (recovering → stale), and the
    // cycle the kill interrupted, resumed first, may revive it with a heartbeat (stale → active) before init registers it
    expect(story[0]).toBe("active->recovering");
    expect(story.slice(-2)).toEqual([expect.stringMatching(/^(recovering|stale|active)->initializing$/), "initializing->active"]);
    const recovering = (await f.store.getTransitions({ agent: "PerformanceMonitorAgent", since, to: "recovering" }))[0]!;
    expect(recovering.reason).toMatch(/exited \(signal SIGKILL\); restart 1 in \d+ ms/);
  }, 90_000);

  it("kills and restarts a hung agent (alive, no heartbeat) once the monitor marks it stale", async () => {
    const before = (await waitActive(f, ["LangSmithBridgeAgent"])).get("LangSmithBridgeAgent")!;
    const since = Date.now();
    // frozen: the process exists but its work loop does not run (outside a write: a lock holder is another fault)
    await freezeOutsideTheLock(before.pid!, `${f.db}.lock`);
    const after = await waitFor(async () => {
      const a = await f.store.getAgent("LangSmithBridgeAgent");
      return a && a.state === "active" && a.pid !== before.pid ? a : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100, message: "hung LangSmithBridgeAgent replaced" });
    expect(after.restarts, await describeFleet(f)).toBe(before.restarts + 1);
    await waitFor(() => !pidAlive(before.pid), { timeoutMs: 10_000, message: "hung process killed" });
    const story = await f.store.getTransitions({ agent: "LangSmithBridgeAgent", since });
    expect(story[0]).toMatchObject({ from: "active", to: "stale" });
    expect(story.find((t) => t.to === "recovering")!.reason).toMatch(/^stale: no heartbeat for .*; restart 1 in \d+ ms/);
  }, 90_000);

  it("kills an agent frozen inside a write (holding the state lock) and restarts it within its own budget", async () => {
    const before = (await waitActive(f, ["LangSmithBridgeAgent"])).get("LangSmithBridgeAgent")!;
    const since = Date.now();
    await freezeInsideTheLock(before.pid!, `${f.db}.lock`);
    const after = await waitFor(async () => {
      const a = await f.store.getAgent("LangSmithBridgeAgent");
      return a && a.state === "active" && a.pid !== before.pid ? a : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100, message: "the lock holder replaced" });
    // the writes it stalled were refused for its sake: its restart is counted, not a wait for the database
    expect(after.restarts, await describeFleet(f)).toBe(before.restarts + 1);
    const recovering = (await f.store.getTransitions({ agent: "LangSmithBridgeAgent", since, to: "recovering" }))[0]!;
    expect(recovering.reason).toMatch(/^holds the state lock past LOCK_TIMEOUT \(hung or stopped\); restart \d+ in \d+ ms/);
  }, 90_000);

  it("serves `bg-agents restart NAME` (store.requestRestart → supervisor → noteRestart)", async () => {
    const before = await waitActive(f, ["LangSmithBridgeAgent"]);
    const old = before.get("LangSmithBridgeAgent")!;
    const r = await runCli(["restart", "LangSmithBridgeAgent", "--json"], { cwd: f.dir, env: f.env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ supervisorRunning: true, restartRequested: ["LangSmithBridgeAgent"] });
    const after = await waitFor(async () => {
      const a = await f.store.getAgent("LangSmithBridgeAgent");
      return a && a.state === "active" && a.pid !== old.pid && a.restartRequestedAt === null ? a : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100 });
    expect(after.restarts).toBe(old.restarts + 1);
  }, 90_000);

  it("leaves a stale agent alone while a --hold-restarts silence covers it, and restarts it once the silence ends", async () => {
    const before = (await waitActive(f, ["LangSmithBridgeAgent"])).get("LangSmithBridgeAgent")!;
    const silence = await f.store.notify.addSilence({ pattern: "LangSmith*", untilMs: 10 * 60_000, reason: "maintenance", holdRestarts: true });
    await freezeOutsideTheLock(before.pid!, `${f.db}.lock`);
    await waitFor(async () => (await f.store.getAgent("LangSmithBridgeAgent"))?.state === "stale", { timeoutMs: 60_000, intervalMs: 100 });
    await waitFor(() => supervisorLog(f).some((l) => /LangSmithBridgeAgent is stale, but silence \d+ \(LangSmith\*\) holds its restarts/.test(String(l.message))),
      { timeoutMs: 30_000, message: () => `the supervisor said it holds the restart; its warnings:\n${warnings(f)}` });
    expect(pidAlive(before.pid!)).toBe(true);
    expect((await f.store.getAgent("LangSmithBridgeAgent"))!.restarts).toBe(before.restarts);
    expect(await f.store.notify.removeSilences({ id: silence.id })).toBe(1);
    const after = await waitFor(async () => {
      const a = await f.store.getAgent("LangSmithBridgeAgent");
      return a && a.state === "active" && a.pid !== before.pid ? a : undefined;
    }, { timeoutMs: 60_000, intervalMs: 100, message: "restarted once the silence ended" });
    expect(after.restarts).toBeGreaterThan(before.restarts);
    const story = await f.store.getTransitions({ agent: "LangSmithBridgeAgent", since: silence.createdAt });
    expect(story.find((t) => t.to === "recovering")!.reason).toMatch(/^stale: no heartbeat for .*; restart \d+ in \d+ ms/);
  }, 120_000);

  it("stops every agent on SIGTERM: all stopped, exit 0, no process left", async () => {
    const all = await waitActive(f, SYSTEM_AGENTS);
    const pids = SYSTEM_AGENTS.map((n) => all.get(n)!.pid!);
    f.supervisor.kill("SIGTERM");
    const exit = await f.supervisor.exited;
    expect(exit.code, f.supervisor.stderr.slice(-2000)).toBe(0);
    const after = await agentsByName(f.store);
    for (const n of SYSTEM_AGENTS) expect(after.get(n)?.state, n).toBe("stopped");
    await waitFor(() => pids.every((p) => !pidAlive(p)), { timeoutMs: 5_000, message: "agent pids gone" });
    expect(agentProcessesOf(f.db)).toEqual([]);
  }, 60_000);
});

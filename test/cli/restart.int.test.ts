/**
 * `bg-agents restart`, `cleanup-stale` and `doctor` next to a real supervisor (`bg-agents start`
 * with a --script agent that crashes until it is `failed`) on a temp DB, and a real pushed agent
 * (heartbeats over the supervisor's HTTP API, then silent until the monitor marks it stale):
 * - a restart request for the pushed agent is refused (CLI exit 2, HTTP 409) and writes nothing;
 * - clean-up keeps the supervised `failed` agent (reported as kept) and removes the pushed one,
 *   so `bg-agents restart` of the supervised agent still works and is served;
 * - doctor's advice for the pushed agent is to restart it where it runs, not `bg-agents restart`;
 * - with no supervisor running, restart says so (exit 1) and writes nothing.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJson, runCli } from "../helpers/cli.js";
import { killChildren } from "../helpers/processes.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { sleep, waitFor } from "../helpers/wait.js";
import { killFleets, startFleet, SYSTEM_AGENTS, waitActive, type Fleet } from "../helpers/fleet.js";

interface Finding { id: string; status: string; items?: string[]; fix?: string[] }

describe("restart and clean-up only for what the running supervisor runs", () => {
  let f: Fleet;
  let url: string;

  beforeAll(async () => {
    f = await startFleet({
      env: { RESTART_BUDGET: "2", RESTART_WINDOW: "120" },
      args: ["--script", `Crashy=${join(process.cwd(), "test/fixtures/fleet-crash-agent.ts")}`],
    });
    url = await waitFor(() => /dashboard on (http:\/\/127\.0\.0\.1:\d+)/.exec(f.supervisor.stderr)?.[1], { timeoutMs: 60_000, message: "dashboard URL logged" });
    // a pushed agent: one heartbeat over the API, then silence: the monitor marks it stale
    const push = await fetch(`${url}/api/agents/pushy/heartbeat`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "ok", pid: 424242, host: "py-box" }),
    });
    expect(push.status).toBe(202);
    await waitActive(f, SYSTEM_AGENTS);
    await waitFor(async () => (await f.store.getAgent("pushy"))?.state === "stale", { timeoutMs: 30_000, message: "pushy marked stale" });
    await waitFor(async () => (await f.store.getAgent("Crashy"))?.state === "failed", { timeoutMs: 60_000, intervalMs: 200, message: "Crashy failed" });
  }, 150_000);

  afterAll(async () => {
    await killChildren();
    await killFleets();
    removeTempDirs();
  });

  it("refuses `bg-agents restart` of a pushed agent (exit 2, says where to restart it) and writes nothing", async () => {
    const r = await runCli(["restart", "pushy"], { cwd: f.dir, env: f.env });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/pushy is not supervised: the running supervisor \(pid \d+\) does not run it/);
    expect(r.stderr).toMatch(/Restart it where it runs \(pushy: pid 424242 on py-box\)/);
    expect(r.stderr).toMatch(/The supervisor runs: HeartbeatHealthAgent, PerformanceMonitorAgent, LangSmithBridgeAgent, Crashy\./);

    const j = await runCli(["restart", "pushy", "--json"], { cwd: f.dir, env: f.env });
    expect(j.code).toBe(2);
    expect(parseJson(j).error).toMatchObject({ code: "AGENT_NOT_SUPERVISED", message: expect.stringContaining("not supervised") });
    expect((await f.store.getAgent("pushy"))?.restartRequestedAt).toBeNull();

    // one refused name refuses the whole request: the supervised agent named with it is not restarted either
    const before = (await f.store.getAgent("HeartbeatHealthAgent"))!;
    const mixed = await runCli(["restart", "HeartbeatHealthAgent", "pushy"], { cwd: f.dir, env: f.env });
    expect(mixed.code).toBe(2);
    await sleep(1500); // the supervisor serves requests every tick (≤ 1 s)
    const after = (await f.store.getAgent("HeartbeatHealthAgent"))!;
    expect({ restarts: after.restarts, pid: after.pid, requested: after.restartRequestedAt }).toEqual({ restarts: before.restarts, pid: before.pid, requested: null });
    expect(await f.store.pendingRestarts()).toEqual([]);
  }, 60_000);

  it("refuses the same over the supervisor's HTTP API with 409 and a JSON error", async () => {
    const res = await fetch(`${url}/api/agents/pushy/restart`, { method: "POST" });
    const body = (await res.json()) as { error?: string; message?: string };
    expect(res.status).toBe(409);
    expect(body.error).toBe("AGENT_NOT_SUPERVISED");
    expect(body.message).toMatch(/pushy is not supervised.*Restart it where it runs \(pid 424242 on py-box\)/);
    expect((await f.store.getAgent("pushy"))?.restartRequestedAt).toBeNull();
  });

  it("doctor advises restarting the pushed agent where it runs, and bg-agents restart only for the supervised one", async () => {
    const r = await runCli(["doctor", "--json"], { cwd: f.dir, env: f.env });
    const j = parseJson<{ findings: Finding[] }>(r);
    const stale = j.findings.find((x) => x.id === "agents.stale")!;
    expect(stale.status).toBe("fail");
    expect(stale.items!.join("\n")).toMatch(/^pushy: marked stale/m);
    const fix = stale.fix!.join("\n");
    expect(fix).not.toMatch(/bg-agents restart pushy/);
    expect(fix).toMatch(/restart it where it runs \(pid 424242 on py-box\): pushy is not run by the supervisor, so bg-agents restart refuses it/);
    expect(fix).toMatch(/bg-agents cleanup-stale/);
    const failed = j.findings.find((x) => x.id === "agents.failed")!;
    expect(failed.fix!.join("\n")).toMatch(/restart it after fixing the cause: bg-agents restart Crashy/);
  }, 60_000);

  it("cleanup-stale keeps the supervised failed agent (reported as kept) and removes the pushed one; restart of the kept one is served", async () => {
    const dry = await runCli(["cleanup-stale", "--dry-run", "--json"], { cwd: f.dir, env: f.env });
    expect(dry.code, dry.stderr).toBe(0);
    const d = parseJson(dry);
    expect(d.agents.map((a: { name: string }) => a.name)).toEqual(["pushy"]);
    expect(d.kept).toEqual([{ name: "Crashy", state: "failed", lastHeartbeat: expect.any(String), reason: expect.stringMatching(/^supervised: the running supervisor \(pid \d+\) runs it/) }]);

    const real = await runCli(["cleanup-stale"], { cwd: f.dir, env: f.env });
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toMatch(/^Removed 1 stale\/stopped\/failed agent record\(s\)\./);
    expect(real.stdout).toMatch(/Kept 1 record\(s\) of supervised agents: the running supervisor \(pid \d+\) runs them/);
    expect(real.stdout).toMatch(/Crashy\s+failed\s+.*supervised/);
    expect(await f.store.getAgent("pushy")).toBeUndefined();
    const crashy = await f.store.getAgent("Crashy");
    expect(crashy?.state).toBe("failed");

    // the record is still there, so the supervisor can be asked to restart it, and it is served
    const restart = await runCli(["restart", "Crashy", "--json"], { cwd: f.dir, env: f.env });
    expect(restart.code, restart.stderr).toBe(0);
    expect(parseJson(restart)).toMatchObject({ supervisorRunning: true, restartRequested: ["Crashy"] });
    await waitFor(async () => {
      const a = await f.store.getAgent("Crashy");
      return a && a.restarts > crashy!.restarts && a.restartRequestedAt === null ? a : undefined;
    }, { timeoutMs: 30_000, intervalMs: 100, message: "restart of Crashy served" });
  }, 90_000);

  it("with no supervisor running, says so (exit 1) and writes nothing, not even with --clean", async () => {
    f.supervisor.kill("SIGTERM");
    expect((await f.supervisor.exited).code).toBe(0);
    await f.store.updateAgentState("Crashy", "failed", "test: left failed");
    const r = await runCli(["restart", "HeartbeatHealthAgent", "--clean"], { cwd: f.dir, env: f.env });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^No supervisor is running on .*state\.db: nothing restarted or removed \(a restart request would never be served\)\. Start the fleet with: bg-agents start/);
    expect((await f.store.getAgent("HeartbeatHealthAgent"))?.restartRequestedAt).toBeNull();
    expect(await f.store.getAgent("Crashy")).toBeDefined(); // --clean removed nothing
    const j = await runCli(["restart", "--json"], { cwd: f.dir, env: f.env });
    expect(j.code).toBe(1);
    expect(parseJson(j)).toEqual({ supervisorRunning: false, removed: [], restartRequested: [] });
  }, 60_000);
});

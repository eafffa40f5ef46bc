/**
 * The supervised monitor is always "HeartbeatHealthAgent", whatever AGENT_NAME says (AGENT_NAME
 * names a process run alone, as `bg-agents monitor` does). With AGENT_NAME=something-else in the
 * environment, `/healthz` under `bg-agents start` must still watch the real monitor and turn 200,
 * and `bg-agents doctor` must find it; on a database where only `bg-agents monitor` runs, doctor
 * still checks the monitor named by AGENT_NAME.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killCliChildren, parseJson, runCli, startCli } from "../helpers/cli.js";
import { freePort } from "../helpers/langgraph-dev.js";
import { killChildren } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { fleetEnv, killFleets, startFleet, START_TIMEOUT, SYSTEM_AGENTS, waitActive } from "../helpers/fleet.js";

interface Finding { id: string; title: string; status: string; detail: string }

describe("the supervised monitor's name with AGENT_NAME set", () => {
  afterAll(async () => {
    await killChildren();
    await killFleets();
    await killCliChildren();
    removeTempDirs();
  });

  it("/healthz turns 200 and doctor finds the monitor", async () => {
    const port = await freePort();
    const f = await startFleet({ env: { AGENT_NAME: "something-else", DASHBOARD_PORT: String(port) } });
    await waitActive(f, SYSTEM_AGENTS);
    const url = `http://127.0.0.1:${port}/healthz`;
    let last = "";
    const body = await waitFor(async () => {
      const res = await fetch(url);
      last = `${res.status} ${await res.clone().text()}`;
      return res.status === 200 ? ((await res.json()) as { status: string; monitor: string }) : undefined;
    }, { timeoutMs: 30_000, intervalMs: 200, message: () => `/healthz never 200; last answer: ${last}` });
    expect(body).toMatchObject({ status: "ok", monitor: "HeartbeatHealthAgent" });

    const r = await runCli(["doctor", "--json"], { cwd: f.dir, env: f.env });
    const monitor = parseJson<{ findings: Finding[] }>(r).findings.find((x) => x.id === "monitor")!;
    expect(monitor, r.stdout).toMatchObject({ status: "ok", title: "Monitor (HeartbeatHealthAgent)" });
  }, 120_000);
});

describe("doctor with AGENT_NAME set and no supervisor", () => {
  afterEach(async () => {
    await killCliChildren();
    removeTempDirs();
  });

  it("checks the monitor that `bg-agents monitor` runs under AGENT_NAME", async () => {
    const dir = makeTempDir("bga-monitor-alone-");
    const env = fleetEnv(dir, { AGENT_NAME: "Watcher" });
    const monitor = startCli(["monitor"], { cwd: dir, env });
    const store = await waitFor(async () => {
      if (monitor.proc.exitCode !== null) throw new Error(`bg-agents monitor exited: ${monitor.stderr}`);
      const s = await SharedState.open({ path: env.DATABASE_PATH!, lockTimeoutMs: 20_000 });
      if ((await s.getAgent("Watcher"))?.state === "active") return s;
      await s.close();
      return undefined;
    }, { timeoutMs: START_TIMEOUT, intervalMs: 200, message: "Watcher active" });
    await store.close();
    const r = await runCli(["doctor", "--json"], { cwd: dir, env });
    const found = parseJson<{ findings: Finding[] }>(r).findings.find((x) => x.id === "monitor")!;
    expect(found, r.stdout).toMatchObject({ status: "ok", title: "Monitor (Watcher)" });
    monitor.proc.kill("SIGTERM");
    expect((await monitor.done).code).toBe(0);
  }, 120_000);
});

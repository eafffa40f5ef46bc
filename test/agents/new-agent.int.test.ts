/**
 * A new agent is state + nodes + graph + one spec line: TinyAgent (fixtures/tiny-agent/, built
 * from the shared cycle channels and lifecycle helpers) runs under the real supervisor next to
 * the system agents, in its own process, registered by its own init node, active and heartbeating
 * from its own work node; SIGTERM to the supervisor leaves it stopped.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { killFleets, pidAlive, startFleet, SYSTEM_AGENTS, waitActive, type Fleet } from "../helpers/fleet.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { tinyAgentSpec, userAgentSpec } from "./fixtures/tiny-agent/spec.js";

const TINY = tinyAgentSpec.name;
const USERS = userAgentSpec.name;

describe("a new agent added by one spec line", () => {
  let f: Fleet;

  beforeAll(async () => {
    f = await startFleet({ entry: "test/agents/fixtures/tiny-agent/supervisor.ts" });
  }, 90_000);

  afterAll(async () => {
    await killFleets();
    removeTempDirs();
  });

  it("runs under the supervisor in its own process, active and heartbeating", async () => {
    const all = await waitActive(f, [...SYSTEM_AGENTS, TINY]);
    const tiny = all.get(TINY)!;
    expect(tiny.pid).not.toBe(f.supervisor.pid);
    expect(pidAlive(tiny.pid)).toBe(true);
    // the process is the agent runner on the spec's graph module
    const env = readFileSync(`/proc/${tiny.pid}/environ`, "utf8").split("\0");
    expect(env).toContain(`BG_AGENT_MODULE=${tinyAgentSpec.module}`);
    expect(env).toContain(`AGENT_NAME=${TINY}`);
    // its init node registered it: initializing → active with the reason it gave
    const story = (await f.store.getTransitions({ agent: TINY })).map((t) => `${t.to}: ${t.reason ?? ""}`);
    expect(story).toEqual(expect.arrayContaining(["initializing: tiny agent starting", "active: startup complete"]));
    // its tick node heartbeats every HEARTBEAT_INTERVAL (0.2 s here)
    const later = await waitFor(async () => {
      const a = await f.store.getAgent(TINY);
      return a && a.heartbeats >= tiny.heartbeats + 3 ? a : undefined;
    }, { timeoutMs: 20_000, intervalMs: 100, message: "TinyAgent heartbeating" });
    expect(later.lastHeartbeat).toBeGreaterThan(tiny.lastHeartbeat);
    expect(later.state).toBe("active");
    expect(later.pid).toBe(tiny.pid);
  }, 90_000);

  it("runs a compiled agent of a user project that imports only background-agents/agent, heartbeating", async () => {
    const mine = (await waitActive(f, [USERS])).get(USERS)!;
    const story = (await f.store.getTransitions({ agent: USERS })).map((t) => `${t.to}: ${t.reason ?? ""}`);
    expect(story).toEqual(expect.arrayContaining(["initializing: my agent starting", "active: startup complete"]));
    const later = await waitFor(async () => {
      const a = await f.store.getAgent(USERS);
      return a && a.heartbeats >= mine.heartbeats + 3 ? a : undefined;
    }, { timeoutMs: 20_000, intervalMs: 100, message: "MyAgent heartbeating" });
    expect(later).toMatchObject({ state: "active", pid: mine.pid });
  }, 60_000);

  it("is stopped with the fleet when the supervisor gets SIGTERM", async () => {
    const pid = (await f.store.getAgent(TINY))!.pid!;
    f.supervisor.kill("SIGTERM");
    expect((await f.supervisor.exited).code, f.supervisor.stderr.slice(-3000)).toBe(0);
    expect(pidAlive(pid)).toBe(false);
    expect(await f.store.getAgent(TINY)).toMatchObject({ state: "stopped", stateReason: "shutdown requested" });
    expect(await f.store.getAgent(USERS)).toMatchObject({ state: "stopped", stateReason: "shutdown requested" });
  }, 60_000);
});

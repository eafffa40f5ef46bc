/**
 * SystemInitializer graph and AgentClient on a real SQLite file: leftovers (live state, process
 * gone) are marked stopped with a reason while live processes are left alone; configured agents
 * are registered without being swept as stale; the system state is recorded without secrets.
 */
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { buildGraph } from "../../graphs/system-initializer.js";
import { createAgentContext } from "../../src/agents/context.js";
import { invokeConfig } from "../../src/agents/runtime/invoke-config.js";
import { AgentClient } from "../../src/client/index.js";
import { loadConfig } from "../../src/config/index.js";
import { SYSTEM_KEYS } from "../../src/storage/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("SystemInitializer", () => {
  it("marks leftovers, registers the configured agents, records the system state", async () => {
    const store = await openTestStore();
    const deadPid = spawnSync(process.execPath, ["-e", ""]).pid;
    await store.updateHeartbeat("Gone", { pid: deadPid, host: hostname() });
    await store.updateHeartbeat("StillHere", { pid: process.pid, host: hostname() });
    await store.updateHeartbeat("Elsewhere", { pid: deadPid, host: "another-host" });
    const { logger, entries } = captureLogger("SystemInitializer");
    const config = loadConfig({ DATABASE_PATH: store.path, API_TOKEN: "0123456789abcdef-secret" });
    const ctx = createAgentContext({ agentName: "SystemInitializer", config, store, clock: store.clock, logger, sessionId: "s", version: "9.9.9" });
    await buildGraph().invoke({ agents: ["A1", "A2", "StillHere"] }, invokeConfig({ ctx, threadId: "init" }) as never);

    const gone = (await store.getAgent("Gone"))!;
    expect(gone.state).toBe("stopped");
    expect(gone.stateReason).toBe(`left behind by a previous run: was active but process ${deadPid} on ${hostname()} is gone`);
    expect((await store.getAgent("StillHere"))!.state).toBe("active");
    expect((await store.getAgent("Elsewhere"))!.state).toBe("active"); // another host: left to stale detection
    expect(entries.some((e) => e.level === "warn" && /leftover from a previous run: Gone/.test(e.message))).toBe(true);

    expect((await store.getAgent("A1"))!.state).toBe("stopped"); // not swept as stale before it starts
    expect((await store.getAgent("SystemInitializer"))!.state).toBe("active");
    const story = (await store.getTransitions({ agent: "SystemInitializer" })).map((t) => t.to);
    expect(story).toEqual(["initializing", "active"]);

    const system = await store.fleet.getSystemState<{ version: string; schemaVersion: number; leftovers: string[] }>(SYSTEM_KEYS.system);
    expect(system).toMatchObject({ version: "9.9.9", leftovers: ["Gone"] });
    expect(system!.schemaVersion).toBeGreaterThanOrEqual(2);
    const snapshot = await store.fleet.getSystemState<Record<string, unknown>>(SYSTEM_KEYS.config);
    expect(snapshot).toMatchObject({ databasePath: store.path, apiToken: "(set)" });
    expect(JSON.stringify(snapshot)).not.toContain("secret");
  });
});

describe("AgentClient", () => {
  it("registers, heartbeats with process details, reports errors, stops", async () => {
    const store = await openTestStore();
    const client = new AgentClient({ name: "mine", store, intervalMs: 60_000, meta: { team: "x" } });
    await client.register();
    expect(await store.getAgent("mine")).toMatchObject({ state: "active", pid: process.pid, meta: { client: "AgentClient", team: "x" } });
    await client.beat();
    await client.beat();
    const a = (await store.getAgent("mine"))!;
    expect(a.heartbeats).toBe(2);
    expect(a.heartbeatLatencyMs).not.toBeNull(); // the first beat's write time, sent with the second
    expect(a.rssBytes).toBeGreaterThan(0);
    await client.reportError(new Error("boom"));
    expect(await store.getAgent("mine")).toMatchObject({ state: "error", errorCount: 1, lastError: "boom" });
    await client.beat();
    expect((await store.getAgent("mine"))!.state).toBe("active");
    await client.stop();
    expect((await store.getAgent("mine"))!.state).toBe("stopped");
    expect(() => new AgentClient({ name: "" })).toThrow(/Invalid agent name: it is empty/);
  });
});

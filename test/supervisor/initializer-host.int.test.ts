/**
 * Where the SystemInitializer runs, with real agent processes on a temp SQLite file: in the first
 * held agent to have loaded, never in the supervisor's process, with the supervisor's pid in its
 * record; in the supervisor's process when the agent asked exits first (and the agent's restart,
 * after the gate opened, is not asked again); a typed failure there stops start() with its code;
 * a stop while it runs leaves every process gone and no agent active.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { openStore, SYSTEM_KEYS, type StateStore } from "../../src/storage/index.js";
import type { AgentSpec } from "../../src/supervisor/agent-specs.js";
import { Supervisor } from "../../src/supervisor/supervisor.js";
import { tinyAgentSpec } from "../agents/fixtures/tiny-agent/spec.js";
import { pidAlive } from "../helpers/fleet.js";
import { captureLogger } from "../helpers/log-capture.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

const HOST_MODULE = resolve(REPO_ROOT, "test/supervisor/fixtures/initializer-host.ts");
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  removeTempDirs();
});

async function setUp(specs: AgentSpec[] | ((dir: string) => AgentSpec[])) {
  const dir = makeTempDir("bga-init-host-");
  const agents = typeof specs === "function" ? specs(dir) : specs;
  const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "10" });
  const store = await openStore(config);
  cleanups.push(() => store.close());
  const { logger, entries } = captureLogger("supervisor");
  const sup = new Supervisor({ config, store, logger, agents });
  cleanups.push(() => sup.stop("test over"));
  /** The initializer's lines in the log file of `agent`'s process. */
  const initializerLines = (agent: string): string[] => {
    const logs = join(dir, "logs");
    if (!existsSync(logs)) return [];
    const lines = readdirSync(logs).filter((f) => f.startsWith(`agent_${agent}-`)).flatMap((f) => readFileSync(join(logs, f), "utf8").split("\n").filter(Boolean));
    return lines.map((l) => JSON.parse(l) as { module?: string; message: string }).filter((e) => e.module === "initializer").map((e) => e.message);
  };
  return { dir, config, store, sup, entries, initializerLines };
}

async function initializerRecord(store: StateStore) {
  return { agent: await store.getAgent("SystemInitializer"), system: await store.fleet.getSystemState<{ pid: number }>(SYSTEM_KEYS.system) };
}

describe("the SystemInitializer's process", () => {
  it("is a held agent's: the supervisor's own log has none of its lines, its record names the supervisor", async () => {
    const { store, sup, entries, initializerLines } = await setUp([tinyAgentSpec]);
    await sup.start();
    const { agent, system } = await initializerRecord(store);
    expect(agent).toMatchObject({ state: "active", pid: process.pid });
    expect(system?.pid).toBe(process.pid);
    // the agent's file transport writes a moment later
    const lines = await waitFor(() => (initializerLines("TinyAgent").length >= 2 ? initializerLines("TinyAgent") : undefined), { timeoutMs: 10_000, message: "the initializer's lines in TinyAgent's log" });
    expect(lines).toEqual([expect.stringMatching(/^database ok \(schema version \d+\)$/), "registered TinyAgent"]);
    expect(entries.filter((e) => e.module === "initializer")).toEqual([]);
    // the agent says it is active over IPC (the dashboard waits for that): no fallback timer here
    await sup.agentsActive();
    expect((await store.getAgent("TinyAgent"))?.state).toBe("active");
  }, 60_000);

  it("is the supervisor's when the agent asked exits first; the agent's restart is not asked again", async () => {
    const quitter: AgentSpec = { name: "Quitter", kind: "graph", module: HOST_MODULE, env: { INIT_HOST: "exit" } };
    const { store, sup, entries, initializerLines } = await setUp([quitter]);
    const started = sup.start();
    // spawned once the orphans are checked; it loads its code (seconds under tsx) before it is asked
    const first = await waitFor(() => sup.pids().Quitter, { timeoutMs: 30_000, intervalMs: 10, message: "Quitter spawned" });
    await started;
    expect(pidAlive(first)).toBe(false);
    expect(entries.some((e) => e.module === "initializer" && /database ok/.test(e.message))).toBe(true);
    expect((await initializerRecord(store)).agent).toMatchObject({ state: "active", pid: process.pid });
    // restarted after its exit, not held (the gate is open): it runs as an agent and is never asked
    const again = await waitFor(async () => {
      const a = await store.getAgent("Quitter");
      return a?.state === "active" && a.pid !== first ? a : undefined;
    }, { timeoutMs: 30_000, message: "Quitter restarted and active" });
    expect(pidAlive(again.pid!)).toBe(true);
    expect(initializerLines("Quitter")).toEqual([]);
  }, 60_000);

  it("stops start() with the code of a typed failure in the agent's initializer", async () => {
    const { config, sup } = await setUp([tinyAgentSpec]);
    const db = new Database(config.databasePath);
    db.pragma("user_version = 999"); // a newer schema: the agent's openStore refuses it
    db.close();
    const failed = await sup.start().then(() => undefined, (e: unknown) => e);
    expect(failed).toMatchObject({ code: "DB_SCHEMA_NEWER" });
    expect((failed as Error).message).toMatch(/schema version 999/);
    await sup.stop("start failed");
    expect(Object.values(sup.pids())).toEqual([]);
  }, 60_000);

  it("leaves no process and no active agent when the fleet is stopped while it runs", async () => {
    const { dir, store, sup } = await setUp((d) => [{ name: "Blocker", kind: "graph", module: HOST_MODULE, env: { INIT_HOST: "block", INIT_MARKER: join(d, "asked") } }]);
    const started = sup.start();
    const pid = await waitFor(() => sup.pids().Blocker, { timeoutMs: 30_000, intervalMs: 10, message: "Blocker spawned" });
    await waitFor(() => existsSync(join(dir, "asked")), { timeoutMs: 30_000, message: "Blocker asked to run the initializer" });
    await sup.stop("SIGTERM received");
    await started;
    expect(pidAlive(pid)).toBe(false);
    expect(sup.pids()).toEqual({});
    const live = (await store.getRegisteredAgents()).filter((a) => a.state === "active" || a.state === "initializing");
    expect(live.map((a) => `${a.name} ${a.state}`)).toEqual([]);
  }, 60_000);
});

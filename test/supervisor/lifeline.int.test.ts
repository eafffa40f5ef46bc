/**
 * The orphan lifeline spawnAgent preloads into every agent process (src/supervisor/lifeline.ts):
 * the demo worker, which has no lifeline code of its own, exits when its supervisor's IPC channel
 * closes, during start-up and while it works; and a `--script` program that ends by itself still
 * ends (the open channel does not keep it alive).
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { DEMO_WORKER, type AgentSpec } from "../../src/supervisor/agent-specs.js";
import { spawnAgent, type AgentChild } from "../../src/supervisor/child.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

const children: AgentChild[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill("SIGKILL");
    await c.exited;
  }
  removeTempDirs();
});

/** Starts `spec` the way the supervisor does, on a fresh temp database. */
function start(spec: Omit<AgentSpec, "env">, env: Record<string, string> = {}): { child: AgentChild; db: string } {
  const dir = makeTempDir("bga-lifeline-");
  const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs") });
  // NODE_OPTIONS: none of the test runner's own
  const child = spawnAgent({ ...spec, env: { NODE_OPTIONS: "", HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "1", ...env } }, config, Date.now());
  children.push(child);
  return { child, db: config.databasePath };
}

/** How the process ended, or "still running" after `ms`. */
const endWithin = (c: AgentChild, ms: number) =>
  Promise.race([c.exited, new Promise((r) => setTimeout(() => r("still running"), ms))]);

describe("the lifeline spawnAgent preloads", () => {
  const demo = { name: "DemoWorker-orphan", kind: "script", module: DEMO_WORKER } as const;

  it("exits the demo worker when its supervisor is gone before it has finished starting up", async () => {
    const { child } = start(demo, { DEMO_FAILURE: "none" });
    child.proc.disconnect(); // the supervisor died while the worker was still loading
    expect(await endWithin(child, 20_000)).toEqual({ code: 1, signal: null });
  }, 30_000);

  it("exits the demo worker when its supervisor goes away while it works", async () => {
    const { child, db } = start({ ...demo, name: "DemoWorker-working" }, { DEMO_FAILURE: "none" });
    const store = await waitFor(async () => {
      const s = await SharedState.open({ path: db, lockTimeoutMs: 10_000 });
      const a = await s.getAgent("DemoWorker-working");
      if (a?.state === "active" && a.heartbeats >= 2) return s;
      await s.close();
      return undefined;
    }, { timeoutMs: 20_000, intervalMs: 100, message: "worker active" });
    try {
      child.proc.disconnect();
      expect(await endWithin(child, 10_000)).toEqual({ code: 1, signal: null });
    } finally {
      await store.close();
    }
  }, 40_000);

  it("lets a --script program that ends by itself end, while its supervisor lives on", async () => {
    const { child } = start({ name: "OneShot", kind: "script", module: join(REPO_ROOT, "test/supervisor/fixtures/one-shot.ts") });
    // this test process is its supervisor and keeps its end of the channel open throughout
    expect(await endWithin(child, 20_000)).toEqual({ code: 0, signal: null });
  }, 30_000);
});

/**
 * End to end with real processes on one SQLite file: three workers heartbeat while the monitor
 * (`bg-agents monitor` = src/agents/heartbeat/main.ts) runs; one worker is SIGKILLed and must be marked stale within
 * STALE_THRESHOLD + HEARTBEAT_INTERVAL (+ scheduling slack) of its last heartbeat, the others
 * never; restarted, it is active again; the transitions table tells that story; SIGTERM stops
 * the monitor cleanly.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { SharedState } from "../../src/storage/sqlite/index.js";
import { killChildren, spawnTs, type Child } from "../helpers/processes.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

const INTERVAL_S = 0.3;
const THRESHOLD_S = 2;
const WORKER_INTERVAL_MS = 200;
/** Scheduling slack on a loaded 2-core machine (a monitor cycle, a lock wait, a late timer). */
const SLACK_MS = 1500;
const MONITOR = "HeartbeatHealthAgent";

afterEach(async () => {
  await killChildren();
  await closeStores();
  removeTempDirs();
});

function startMonitor(store: SharedState, dir: string): Child {
  return spawnTs("src/agents/heartbeat/main.ts", {
    cwd: dir,
    env: {
      DATABASE_PATH: store.path,
      HEARTBEAT_INTERVAL: String(INTERVAL_S),
      STALE_THRESHOLD: String(THRESHOLD_S),
      LOG_DIR: join(dir, "logs"),
      LOG_LEVEL: "info",
      AGENT_NAME: MONITOR,
    },
  });
}

function startWorker(store: SharedState, name: string): Child {
  return spawnTs("test/fixtures/heartbeat-worker.ts", { env: { DB: store.path, NAME: name, INTERVAL_MS: String(WORKER_INTERVAL_MS) } });
}

const stateOf = async (store: SharedState, name: string) => (await store.getAgent(name))?.state;

describe("monitor and workers in separate processes", () => {
  it("marks a SIGKILLed worker stale in time, never the others, and sees it come back", async () => {
    const dir = makeTempDir();
    const store = await openTestStore({ path: join(dir, "state.db") });
    const monitor = startMonitor(store, dir);
    await waitFor(async () => (await stateOf(store, MONITOR)) === "active", { timeoutMs: 30_000, message: "monitor active" });

    const workers = new Map(["w1", "w2", "w3"].map((n) => [n, startWorker(store, n)]));
    for (const w of workers.values()) await w.waitForLine(/active/, 30_000);
    // everyone has been seen by a few monitor cycles
    const cycles = async () => (await store.getAgent(MONITOR))?.heartbeats ?? 0;
    const seen = (await cycles()) + 4;
    await waitFor(async () => (await cycles()) >= seen, { timeoutMs: 30_000, message: "monitor cycles" });

    workers.get("w2")!.kill("SIGKILL");
    await workers.get("w2")!.exited;
    await waitFor(async () => (await stateOf(store, "w2")) === "stale", { timeoutMs: 30_000, message: "w2 marked stale" });

    const dead = (await store.getAgent("w2"))!;
    const [staleAt] = await store.getTransitions({ agent: "w2", to: "stale" });
    const lateness = staleAt!.at - dead.lastHeartbeat;
    expect(lateness).toBeGreaterThan(THRESHOLD_S * 1000);
    expect(lateness).toBeLessThanOrEqual((THRESHOLD_S + INTERVAL_S) * 1000 + SLACK_MS);
    expect(staleAt!.reason).toMatch(/no heartbeat for [\d.]+s \(threshold 2s\)/);

    // restart the killed worker: active again
    const restarted = startWorker(store, "w2");
    await restarted.waitForLine(/active/, 30_000);
    await waitFor(async () => (await stateOf(store, "w2")) === "active", { timeoutMs: 10_000 });
    const beats = (await store.getAgent("w2"))!.heartbeats;
    await waitFor(async () => (await store.getAgent("w2"))!.heartbeats >= beats + 3, { timeoutMs: 10_000, message: "restarted w2 heartbeats" });
    expect(await stateOf(store, "w2")).toBe("active");

    // only w2 was ever stale, and its story is told in order
    const stale = await store.getTransitions({ to: "stale" });
    expect(stale.map((t) => t.agent)).toEqual(["w2"]);
    const story = (await store.getTransitions({ agent: "w2" })).map((t) => `${t.from ?? "-"}→${t.to}`);
    expect(story).toEqual(["-→initializing", "initializing→active", "active→stale", "stale→initializing", "initializing→active"]);
    for (const n of ["w1", "w3"]) expect(await stateOf(store, n)).toBe("active");
    // the monitor logged one warning for it
    expect(monitor.stderr).toMatch(/agent w2 is stale: no heartbeat for/);
    expect(monitor.stderr.match(/is stale:/g)).toHaveLength(1);

    // SIGTERM: the monitor stops after its cycle, marks itself stopped and exits 0
    monitor.kill("SIGTERM");
    expect((await monitor.exited).code).toBe(0);
    expect(await stateOf(store, MONITOR)).toBe("stopped");
    for (const w of [workers.get("w1")!, workers.get("w3")!, restarted]) w.kill("SIGTERM");
    for (const w of [workers.get("w1")!, workers.get("w3")!, restarted]) expect((await w.exited).code).toBe(0);
    for (const n of ["w1", "w2", "w3"]) expect(await stateOf(store, n)).toBe("stopped");
  });

  it("a frozen worker (SIGSTOP) is marked stale, and after SIGCONT its heartbeat brings it back (logged)", async () => {
    const dir = makeTempDir();
    const store = await openTestStore({ path: join(dir, "state.db") });
    const worker = startWorker(store, "sleepy");
    await worker.waitForLine(/active/, 30_000);
    const monitor = startMonitor(store, dir);
    await waitFor(async () => (await stateOf(store, MONITOR)) === "active", { timeoutMs: 30_000, message: "monitor active" });

    worker.kill("SIGUSR1"); // it stops itself between two heartbeats, never inside the lock
    await worker.waitForLine(/freezing/, 10_000);
    await waitFor(async () => (await stateOf(store, "sleepy")) === "stale", { timeoutMs: 30_000, message: "sleepy stale" });
    worker.kill("SIGCONT");
    await waitFor(async () => (await stateOf(store, "sleepy")) === "active", { timeoutMs: 30_000, message: "sleepy active again" });
    const back = await store.getTransitions({ agent: "sleepy", from: "stale", to: "active" });
    expect(back).toHaveLength(1);
    expect(back[0]!.reason).toBe("heartbeat resumed");
    await waitFor(() => /agent sleepy is back/.test(monitor.stderr), { timeoutMs: 15_000, message: "monitor logs the recovery" });
  });
});

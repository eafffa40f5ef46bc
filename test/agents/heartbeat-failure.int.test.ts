/**
 * The seed's failure lifecycle in a real monitor process: when every cycle fails (another process
 * holds the state lock past LOCK_TIMEOUT), the monitor retries with backoff and, after
 * RETRY_ATTEMPTS consecutive failures, exits non-zero saying why. Once the lock is free, a new
 * monitor starts normally and the file is sound.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

const MONITOR = "HeartbeatHealthAgent";

afterEach(async () => {
  await killChildren();
  await closeStores();
  removeTempDirs();
});

describe("monitor whose cycles keep failing", () => {
  it("gives up after RETRY_ATTEMPTS failed cycles with exit code 1, and a restart recovers", async () => {
    const dir = makeTempDir();
    const store = await openTestStore({ path: join(dir, "state.db") });
    const env = {
      DATABASE_PATH: store.path,
      HEARTBEAT_INTERVAL: "0.2",
      STALE_THRESHOLD: "5",
      LOCK_TIMEOUT: "0.4",
      RETRY_ATTEMPTS: "2",
      LOG_DIR: join(dir, "logs"),
      LOG_LEVEL: "info",
    };
    const monitor = spawnTs("src/agents/heartbeat/main.ts", { cwd: dir, env });
    await waitFor(async () => (await store.getAgent(MONITOR))?.state === "active", { timeoutMs: 30_000, message: "monitor active" });

    const holder = spawnTs("test/fixtures/lock-holder.ts", { env: { DB: store.path } });
    await holder.waitForLine(/holding \d+/, 30_000);

    // it gives up while the lock is still held ...
    await waitFor(() => /failed 2 cycles in a row/.test(monitor.stderr), { timeoutMs: 30_000, message: () => `monitor gives up; stderr: ${monitor.stderr.slice(-1500)}` });
    expect(monitor.stderr).toMatch(/cycle failed \(1\/2\)/);
    expect(monitor.stderr).toMatch(/Could not take the state lock .*state\.db\.lock/);

    // ... and exits 1. (Known limit: a blocking flock still in flight on the threadpool keeps the
    // process from exiting until the holder lets go, so the holder is killed before waiting.)
    holder.kill("SIGKILL");
    await holder.exited;
    expect((await monitor.exited).code).toBe(1);
    expect(store.db.pragma("integrity_check", { simple: true })).toBe("ok");

    const again = spawnTs("src/agents/heartbeat/main.ts", { cwd: dir, env });
    const before = (await store.getAgent(MONITOR))!.heartbeats;
    await waitFor(async () => (await store.getAgent(MONITOR))!.heartbeats >= before + 3, { timeoutMs: 30_000, message: "monitor cycles again" });
    expect((await store.getAgent(MONITOR))?.state).toBe("active");
    again.kill("SIGTERM");
    expect((await again.exited).code).toBe(0);
  }, 120_000);
});

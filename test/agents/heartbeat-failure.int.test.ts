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

describe("monitor whose writes are refused (state lock held past LOCK_TIMEOUT)", () => {
  it("waits without spending RETRY_ATTEMPTS, logs one start line and one end line with a count, and is active again", async () => {
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
    await waitFor(() => /database write failed: Could not take the state lock .*the agent waits and retries \(not a failed cycle\)/.test(monitor.stderr), { timeoutMs: 30_000, message: () => `refusal logged; stderr: ${monitor.stderr.slice(-1500)}` });
    // many more LOCK_TIMEOUTs than RETRY_ATTEMPTS pass: still one line, no failed cycle, no exit
    await new Promise((r) => setTimeout(r, 3000));
    expect(monitor.stderr.match(/database write failed/g)).toHaveLength(1);
    expect(monitor.stderr).not.toMatch(/cycle failed|failed 2 cycles in a row/);
    expect(monitor.running).toBe(true);

    holder.kill("SIGKILL");
    await holder.exited;
    const end = await waitFor(() => /database write works again after (\d+) failure\(s\)/.exec(monitor.stderr), { timeoutMs: 30_000, message: () => `end line; stderr: ${monitor.stderr.slice(-1500)}` });
    expect(Number(end[1])).toBeGreaterThan(2);
    const before = (await store.getAgent(MONITOR))!.heartbeats;
    await waitFor(async () => (await store.getAgent(MONITOR))!.heartbeats >= before + 3, { timeoutMs: 30_000, message: "monitor cycles again" });
    expect((await store.getAgent(MONITOR))?.state).toBe("active");
    expect(store.db.pragma("integrity_check", { simple: true })).toBe("ok");
    monitor.kill("SIGTERM");
    expect((await monitor.exited).code).toBe(0);
  }, 120_000);
});

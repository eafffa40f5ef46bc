/**
 * Two supervisors never run one host's fleet (PostgreSQL): the first is frozen past its host lease,
 * a second for the same host takes over, and when the first wakes it finds its lease taken, stops
 * and exits 1 (not 0: a process manager should see it did not stop cleanly). The second runs on.
 */
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PgStore } from "../../src/storage/postgres/index.js";
import { killCliChildren, startCli } from "../helpers/cli.js";
import { pidAlive } from "../helpers/fleet.js";
import { startCluster, type PgCluster } from "../helpers/postgres.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { sleep, waitFor } from "../helpers/wait.js";

const HOST = "box";
const MONITOR = `HeartbeatHealthAgent@${HOST}`;

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());
afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

describe("a supervisor whose host lease was taken while it was frozen", () => {
  it("stops and exits 1 when it wakes; the one that took over keeps the fleet", async () => {
    const dir = makeTempDir();
    const url = await cluster.freshDatabase();
    const env = (logs: string) => ({
      DATABASE_URL: url, HOST_NAME: HOST, LEADER_LEASE: "1", HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "4",
      DASHBOARD_PORT: "0", LOG_DIR: join(dir, logs), LOG_LEVEL: "info",
    });
    const reader = await waitFor(() => PgStore.open({ url, log: () => undefined }), { timeoutMs: 30_000 });
    try {
      const first = startCli(["start"], { cwd: dir, env: env("logs-a") });
      const monitorPid = async () => {
        const m = await reader.getAgent(MONITOR);
        return m?.state === "active" && pidAlive(m.pid) ? m.pid! : undefined;
      };
      const firstMonitor = await waitFor(monitorPid, { timeoutMs: 60_000, message: () => `first fleet active; stderr: ${first.stderr.slice(-1500)}` });

      first.proc.kill("SIGSTOP");
      await sleep(2500); // past its 1 s lease
      const second = startCli(["start"], { cwd: dir, env: env("logs-b") });
      const secondMonitor = await waitFor(async () => {
        const pid = await monitorPid();
        return pid !== undefined && pid !== firstMonitor ? pid : undefined;
      }, { timeoutMs: 60_000, message: () => `second fleet active; stderr: ${second.stderr.slice(-1500)}` });

      first.proc.kill("SIGCONT");
      const ended = await first.done;
      expect(ended.code, ended.stderr.slice(-2000)).toBe(1);
      expect(ended.stderr).toMatch(/another supervisor took over host box .*: stopping this host's agents/);
      expect(second.proc.exitCode).toBeNull();
      expect(pidAlive(secondMonitor)).toBe(true);
      await sleep(1000);
      expect((await reader.getAgent(MONITOR))).toMatchObject({ state: "active", pid: secondMonitor });

      second.proc.kill("SIGTERM");
      expect((await second.done).code).toBe(0);
    } finally {
      await reader.close();
    }
  }, 180_000);
});

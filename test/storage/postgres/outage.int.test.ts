/**
 * PostgreSQL stopped for 10 s while the whole fleet runs (`bg-agents start` on DATABASE_URL) and
 * then started again: no process exits or is restarted (no restart budget spent), nothing goes
 * failed, every agent is active again a few heartbeat intervals later, and the heartbeat counters
 * continue from where they were (nothing acknowledged was lost).
 */
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PgStore } from "../../../src/storage/postgres/index.js";
import type { AgentRecord } from "../../../src/storage/index.js";
import { killCliChildren, startCli } from "../../helpers/cli.js";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";
import { sleep, waitFor } from "../../helpers/wait.js";

const HOST = "outage-host";
// on PostgreSQL each host's system agents carry the host's name
const AGENTS = ["SystemInitializer", "HeartbeatHealthAgent", "PerformanceMonitorAgent", "LangSmithBridgeAgent"].map((n) => `${n}@${HOST}`);
const INTERVAL_S = 0.5;

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());
afterEach(async () => {
  cluster.start();
  await killCliChildren();
  removeTempDirs();
});

describe("PostgreSQL stopped for 10 s under a running fleet", () => {
  it("costs a pause: no restarts, nothing failed, all active again soon after", async () => {
    const dir = makeTempDir();
    const url = await cluster.freshDatabase();
    const fleet = startCli(["start"], {
      cwd: dir,
      env: { DATABASE_URL: url, HOST_NAME: HOST, HEARTBEAT_INTERVAL: String(INTERVAL_S), STALE_THRESHOLD: "3", DASHBOARD_PORT: "0", LOG_DIR: join(dir, "logs"), LOG_LEVEL: "info" },
    });
    const reader = await waitFor(() => PgStore.open({ url, log: () => undefined }), { timeoutMs: 30_000 });
    try {
      const all = async () => new Map((await reader.getRegisteredAgents()).map((a) => [a.name, a] as const));
      const allActive = (m: Map<string, AgentRecord>) => AGENTS.every((n) => m.get(n)?.state === "active" && m.get(n)!.heartbeats > 2);
      const before = await waitFor(async () => {
        const m = await all();
        return allActive(m) ? m : undefined;
      }, { timeoutMs: 60_000, message: () => `the fleet to run; stderr: ${fleet.stderr.slice(-2000)}` });

      cluster.stop();
      await sleep(10_000);
      cluster.start();
      const back = Date.now();

      const after = await waitFor(async () => {
        const m = await all();
        return AGENTS.every((n) => m.get(n)?.state === "active" && m.get(n)!.heartbeats > before.get(n)!.heartbeats + 2) ? m : undefined;
      }, { timeoutMs: 30_000, message: () => `every agent active and heartbeating again; stderr: ${fleet.stderr.slice(-2000)}` });
      console.info(`fleet active and heartbeating again ${((Date.now() - back) / 1000).toFixed(1)} s after PostgreSQL came back`);

      for (const name of AGENTS) {
        const [b, a] = [before.get(name)!, after.get(name)!];
        expect(a.pid, `${name} kept its process; fleet stderr: ${fleet.stderr.slice(-4000)}`).toBe(b.pid);
        expect(a.restarts, `${name} was not restarted`).toBe(0);
        expect(a.startedAt).toBe(b.startedAt);
      }
      expect(await reader.getTransitions({ to: "failed" })).toEqual([]);
      expect(fleet.proc.exitCode).toBeNull();
      expect(fleet.stderr).toMatch(/PostgreSQL at .+ is unreachable .+; waiting up to 60s for it to come back/);
      expect(fleet.stderr).toMatch(/PostgreSQL at .+ is reachable again after \d+\.\ds/);
      expect(fleet.stderr + fleet.stdout).not.toMatch(/exited \(code/);

      fleet.proc.kill("SIGTERM");
      expect((await fleet.done).code).toBe(0);
    } finally {
      await reader.close();
    }
  }, 180_000);
});

/**
 * `/healthz` with several monitors on PostgreSQL: it names them with their roles, and while a
 * healthy leader exists it answers 200 even when the monitor it watches is down; with no healthy
 * leader it answers 503.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { startServer } from "../../src/http/index.js";
import { MONITOR_LEASE } from "../../src/storage/index.js";
import { PgStore } from "../../src/storage/postgres/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { startCluster, type PgCluster } from "../helpers/postgres.js";

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());

describe("/healthz with a leader and a standby", () => {
  it("stays 200 while the leader elsewhere is healthy, 503 when no healthy leader is left", async () => {
    const clock = new ManualClock(5_000_000);
    const url = await cluster.freshDatabase();
    const store = await PgStore.open({ url, testClock: clock });
    const config = loadConfig({ DATABASE_URL: url, HEARTBEAT_INTERVAL: "1", STALE_THRESHOLD: "3", LEADER_LEASE: "3" });
    const server = await startServer({ store, config, clock, logger: captureLogger().logger, host: "127.0.0.1", port: 0, monitorName: "monitor-a" });
    const health = async () => {
      const r = await fetch(`${server.url}/healthz`);
      return { code: r.status, body: (await r.json()) as { status: string; role: string | null; reason?: string; monitors: Array<{ agent: string; host: string; role: string }> } };
    };
    try {
      for (const m of ["monitor-a", "monitor-b"]) {
        await store.registerAgent(m, { pid: 1, host: `host-${m}` });
        await store.updateAgentState(m, "active");
      }
      await store.tryLease(MONITOR_LEASE, { holder: "a", host: "host-a", pid: 1, agent: "monitor-a" }, 3000);
      await store.tryLease(MONITOR_LEASE, { holder: "b", host: "host-b", pid: 2, agent: "monitor-b" }, 3000);
      let h = await health();
      expect(h.code).toBe(200);
      expect(h.body.role).toBe("leader");
      expect(h.body.monitors.map((m) => [m.agent, m.role])).toEqual([["monitor-a", "leader"], ["monitor-b", "standby"]]);

      // monitor-a dies; monitor-b keeps heartbeating and takes the lease
      clock.advance(4000);
      await store.updateHeartbeat("monitor-b");
      expect(await store.tryLease(MONITOR_LEASE, { holder: "b", host: "host-b", pid: 2, agent: "monitor-b" }, 3000)).not.toBeNull();
      h = await health();
      expect(h.code).toBe(200);
      expect(h.body.role).toBe("standby"); // monitor-a lost the lease (it is still listed, seen 4 s ago)
      expect(h.body.reason).toMatch(/monitor-b on host-b leads and is healthy/);

      // the leader goes silent too: nothing healthy is left
      clock.advance(4000);
      h = await health();
      expect(h.code).toBe(503);
    } finally {
      await server.close();
      await store.close();
    }
  });
});

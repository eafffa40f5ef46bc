/**
 * The same as resume.int.test.ts on PostgreSQL: the monitor killed with SIGKILL mid-cycle and
 * started again resumes from its checkpoint (PostgresSaver), the cycle count continues, and the
 * thread keeps CHECKPOINT_RETENTION checkpoints with no write or blob outliving them.
 */
import { join } from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildGraph } from "../../graphs/heartbeat-health.js";
import { PgStore } from "../../src/storage/postgres/index.js";
import { startCluster, type PgCluster } from "../helpers/postgres.js";
import { killChildren, spawnTs, type Child } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

const MONITOR = "HeartbeatHealthAgent";
const THREAD = `agent:${MONITOR}`;
const RETENTION = 5;

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());
afterEach(async () => {
  await killChildren();
  removeTempDirs();
});

function startMonitor(url: string, dir: string, logLevel = "warn"): Child {
  return spawnTs("src/agents/heartbeat/main.ts", {
    cwd: dir,
    env: {
      DATABASE_URL: url,
      HEARTBEAT_INTERVAL: "0.05",
      STALE_THRESHOLD: "5",
      CHECKPOINT_RETENTION: String(RETENTION),
      LOG_DIR: join(dir, "logs"),
      LOG_LEVEL: logLevel,
    },
  });
}

describe("monitor restart on PostgreSQL", () => {
  it("resumes the cycle count from the checkpoint after SIGKILL, and keeps checkpoints bounded", async () => {
    const dir = makeTempDir();
    const url = await cluster.freshDatabase();
    const store = await PgStore.open({ url });
    const graph = buildGraph(await store.createCheckpointer());
    const cycleOf = async () => ((await graph.getState({ configurable: { thread_id: THREAD } })).values as { cycle?: number }).cycle ?? 0;
    try {
      const first = startMonitor(url, dir);
      await waitFor(async () => {
        // frozen while the checkpoint is read, so the one it is killed at is the one read
        first.kill("SIGSTOP");
        const snap = await graph.getState({ configurable: { thread_id: THREAD } });
        if ((snap.values as { cycle?: number }).cycle! < 5 || snap.next.length === 0) {
          first.kill("SIGCONT");
          return false;
        }
        first.kill("SIGKILL");
        return true;
      }, { timeoutMs: 60_000, intervalMs: 10, message: () => `5 cycles; monitor stderr: ${first.stderr.slice(-1500)}` });
      await first.exited;
      const interrupted = await graph.getState({ configurable: { thread_id: THREAD } });
      expect(interrupted.next.length).toBeGreaterThan(0);
      const atKill = await cycleOf();
      expect(atKill).toBeGreaterThanOrEqual(5);

      const second = startMonitor(url, dir, "info");
      await waitFor(async () => (await cycleOf()) >= atKill + 30, { timeoutMs: 120_000, message: () => `30 more cycles; monitor stderr: ${second.stderr.slice(-1500)}` });
      expect(second.stderr).toMatch(/resuming interrupted cycle at \w+/);
      second.kill("SIGTERM");
      expect((await second.exited).code).toBe(0);

      const cycle = await cycleOf();
      const self = (await store.getAgent(MONITOR))!;
      expect(self.state).toBe("stopped");
      expect(self.heartbeats).toBeGreaterThanOrEqual(cycle);
      expect(self.heartbeats).toBeLessThanOrEqual(cycle + 1);
      expect((await store.getTransitions({ agent: MONITOR, to: "initializing" })).length).toBe(2);

      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const cp = "bg_agents_checkpoints";
        const perThread = (await c.query(`SELECT thread_id, checkpoint_ns, count(*)::int AS n FROM ${cp}.checkpoints GROUP BY 1, 2`)).rows;
        expect(perThread).toEqual([{ thread_id: THREAD, checkpoint_ns: "", n: RETENTION }]);
        const orphanWrites = (await c.query(`SELECT count(*)::int AS n FROM ${cp}.checkpoint_writes w WHERE NOT EXISTS (
          SELECT 1 FROM ${cp}.checkpoints k WHERE k.thread_id = w.thread_id AND k.checkpoint_ns = w.checkpoint_ns AND k.checkpoint_id = w.checkpoint_id)`)).rows[0].n;
        expect(orphanWrites).toBe(0);
        const orphanBlobs = (await c.query(`SELECT count(*)::int AS n FROM ${cp}.checkpoint_blobs b WHERE NOT EXISTS (
          SELECT 1 FROM ${cp}.checkpoints k WHERE k.thread_id = b.thread_id AND k.checkpoint -> 'channel_versions' ->> b.channel = b.version)`)).rows[0].n;
        expect(orphanBlobs).toBe(0);
      } finally {
        await c.end();
      }
    } finally {
      await store.close();
    }
  }, 240_000);
});

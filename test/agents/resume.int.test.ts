/**
 * The monitor (`bg-agents monitor` = src/agents/heartbeat/main.ts) killed with SIGKILL mid-cycle and started again resumes from its
 * checkpoint: the cycle count continues. Checkpoint rows per thread stay at CHECKPOINT_RETENTION
 * and no `writes` row outlives its checkpoint.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildGraph } from "../../graphs/heartbeat-health.js";
import type { SharedState } from "../../src/storage/sqlite/index.js";
import { killChildren, spawnTs, type Child } from "../helpers/processes.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

const MONITOR = "HeartbeatHealthAgent";
const THREAD = `agent:${MONITOR}`;
const RETENTION = 5;

afterEach(async () => {
  await killChildren();
  await closeStores();
  removeTempDirs();
});

function startMonitor(store: SharedState, dir: string, logLevel = "warn"): Child {
  return spawnTs("src/agents/heartbeat/main.ts", {
    cwd: dir,
    env: {
      DATABASE_PATH: store.path,
      HEARTBEAT_INTERVAL: "0.05",
      STALE_THRESHOLD: "5",
      CHECKPOINT_RETENTION: String(RETENTION),
      LOG_DIR: join(dir, "logs"),
      LOG_LEVEL: logLevel,
    },
  });
}

const graphOf = async (store: SharedState) => buildGraph(await store.createCheckpointer());

/** The cycle count in the latest checkpoint of the monitor's thread. */
async function checkpointedCycle(store: SharedState): Promise<number> {
  const snap = await (await graphOf(store)).getState({ configurable: { thread_id: THREAD } });
  return (snap.values as { cycle?: number }).cycle ?? 0;
}

describe("monitor restart", () => {
  it("resumes the cycle count from the checkpoint after SIGKILL, and keeps checkpoints bounded", async () => {
    const dir = makeTempDir();
    const store = await openTestStore({ path: join(dir, "state.db") });

    const first = startMonitor(store, dir);
    // kill it while a cycle is under way (its latest checkpoint says a node is still to run)
    await waitFor(async () => {
      // frozen while the checkpoint is read, so the one it is killed at is the one read
      first.kill("SIGSTOP");
      let killed = false;
      try {
        // a stop that lands mid-commit can leave the WAL index half-written: SQLite then refuses
        // this read ("locking protocol") until the writer runs on, so it is resumed whatever happens
        const snap = await (await graphOf(store)).getState({ configurable: { thread_id: THREAD } });
        if ((snap.values as { cycle?: number }).cycle! < 5 || snap.next.length === 0) return false;
        first.kill("SIGKILL");
        killed = true;
        return true;
      } finally {
        if (!killed) first.kill("SIGCONT");
      }
    }, { timeoutMs: 60_000, intervalMs: 10, message: () => `5 cycles; monitor stderr: ${first.stderr.slice(-1500)}` });
    await first.exited;
    const interrupted = await (await graphOf(store)).getState({ configurable: { thread_id: THREAD } });
    expect(interrupted.next.length).toBeGreaterThan(0);
    const atKill = await checkpointedCycle(store);
    expect(atKill).toBeGreaterThanOrEqual(5);

    const second = startMonitor(store, dir, "info");
    await waitFor(async () => (await checkpointedCycle(store)) >= atKill + 30, { timeoutMs: 120_000, message: () => `30 more cycles; monitor stderr: ${second.stderr.slice(-1500)}` });
    expect(second.stderr).toMatch(/resuming interrupted cycle at \w+/);
    second.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);

    const cycle = await checkpointedCycle(store);
    const self = (await store.getAgent(MONITOR))!;
    expect(self.state).toBe("stopped");
    // one heartbeat per cycle (a loop node cut off by the kill may run twice): had the count
    // restarted at 0, the cycle would trail the heartbeats by `atKill`
    expect(self.heartbeats).toBeGreaterThanOrEqual(cycle);
    expect(self.heartbeats).toBeLessThanOrEqual(cycle + 1);
    // the second run registered again (a new session) and continued the count
    expect((await store.getTransitions({ agent: MONITOR, to: "initializing" })).length).toBe(2);

    const perThread = store.db.prepare(`SELECT thread_id, checkpoint_ns, count(*) AS n FROM checkpoints GROUP BY 1, 2`).all() as { thread_id: string; n: number }[];
    expect(perThread).toEqual([{ thread_id: THREAD, checkpoint_ns: "", n: RETENTION }]);
    const orphans = store.db.prepare(`
      SELECT count(*) AS n FROM writes w WHERE NOT EXISTS (
        SELECT 1 FROM checkpoints c WHERE c.thread_id = w.thread_id AND c.checkpoint_ns = w.checkpoint_ns AND c.checkpoint_id = w.checkpoint_id)`).get() as { n: number };
    expect(orphans.n).toBe(0);
  }, 240_000);
});

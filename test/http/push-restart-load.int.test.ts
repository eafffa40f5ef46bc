/**
 * Load while the server is stopped and started: pushers send heartbeats as fast as they can while
 * the dashboard server and its store are closed and opened again on the same port, three times.
 * Every heartbeat answered 202 is in the database (the agent's heartbeat count is at least the
 * number acknowledged, and at most that plus the requests whose answer was lost in a restart).
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/http/index.js";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { sleep } from "../helpers/wait.js";

const open: Array<{ server?: RunningServer; store?: SharedState }> = [];

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.server?.close().catch(() => undefined);
    await o.store?.close().catch(() => undefined);
  }
  removeTempDirs();
});

const PUSHERS = 4;
const RESTARTS = 3;

describe("heartbeat pushes across server restarts", () => {
  it("every acknowledged (202) heartbeat is in the database", async () => {
    const dir = makeTempDir("bga-load-");
    const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), DASHBOARD_PORT: "0", HEARTBEAT_INTERVAL: "1", STALE_THRESHOLD: "10" });
    const { logger } = captureLogger("load-test");
    const life: { server?: RunningServer; store?: SharedState } = {};
    open.push(life);
    let port = 0;
    const up = async () => {
      life.store = await SharedState.open({ path: config.databasePath, lockTimeoutMs: 5000 });
      for (let attempt = 0; ; attempt++) {
        try {
          life.server = await startServer({ store: life.store, config, logger, port, livePollMs: 200, sampleIntervalMs: 1000 });
          break;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt > 50) throw e;
          await sleep(50);
        }
      }
      port = life.server.port;
    };
    const down = async () => {
      await life.server!.close();
      await life.store!.close();
      life.server = life.store = undefined;
    };
    await up();

    const acked = Array(PUSHERS).fill(0) as number[];
    const inDoubt = Array(PUSHERS).fill(0) as number[];
    const refused = Array(PUSHERS).fill(0) as number[];
    const statuses = new Map<number, number>();
    let running = true;
    const pusher = async (i: number) => {
      while (running) {
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/agents/load-${i}/heartbeat`, {
            method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ status: "ok", latencyMs: 1 }),
          });
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status === 202) acked[i]!++;
          else refused[i]!++;
        } catch (e) {
          // refused while down (nothing sent), or reset mid-request (it may have been written)
          const code = ((e as Error).cause as NodeJS.ErrnoException | undefined)?.code;
          if (code === "ECONNREFUSED") await sleep(5);
          else inDoubt[i]!++;
        }
      }
    };
    const pushing = Array.from({ length: PUSHERS }, (_, i) => pusher(i));
    for (let r = 0; r < RESTARTS; r++) {
      await sleep(400);
      await down();
      await sleep(100);
      await up();
    }
    await sleep(400);
    running = false;
    await Promise.all(pushing);
    await down();

    const store = await SharedState.open({ path: config.databasePath });
    life.store = store;
    for (let i = 0; i < PUSHERS; i++) {
      const a = (await store.getAgent(`load-${i}`))!;
      expect(acked[i], `pusher ${i} got acknowledgements`).toBeGreaterThan(10);
      expect({ agent: a.name, heartbeats: a.heartbeats >= acked[i]! }).toEqual({ agent: `load-${i}`, heartbeats: true });
      expect(a.heartbeats).toBeLessThanOrEqual(acked[i]! + inDoubt[i]!); // a refused (503) push wrote nothing
    }
    expect([...statuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]); // 503 only while closing
    expect((store.db.pragma("integrity_check") as Array<{ integrity_check: string }>)[0]!.integrity_check).toBe("ok");
  }, 60_000);
});

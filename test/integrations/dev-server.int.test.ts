/** The same wrapped graph served by the real `langgraphjs dev`: its runs show up in our store (node, thread, outcome). */
import { Client } from "@langchain/langgraph-sdk";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startDevServer, stopDevServers } from "../helpers/langgraph-dev.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

afterAll(async () => {
  await stopDevServers();
  await closeStores();
  removeTempDirs();
}, 60_000);

describe("withHeartbeat under langgraphjs dev", () => {
  it("reports the served graph's runs: active, the running node and thread, then the run's outcome", async () => {
    const dir = makeTempDir();
    const path = join(dir, "state.db");
    const store = await openTestStore({ path });
    const server = await startDevServer({
      graphs: { "two-node": "./test/integrations/fixtures/served-graph.ts:graph" },
      env: { DATABASE_PATH: path, HEARTBEAT_INTERVAL: "0.1", STALE_THRESHOLD: "5", ACT_MS: "1500", LOG_DIR: join(dir, "logs"), LOG_LEVEL: "warn" },
    });
    const client = new Client({ apiUrl: server.url });
    const thread = await client.threads.create();
    const run = await client.runs.create(thread.thread_id, "two-node", { input: { task: "served" } });
    const during = await waitFor(async () => {
      const a = await store.getAgent("served-two-node");
      return a?.activity?.node === "act" && a.activity.status === "running" ? a : undefined;
    }, { timeoutMs: 60_000 });
    expect(during.state).toBe("active");
    expect(during.activity!.threadId).toBe(thread.thread_id);
    expect(during.pid).not.toBe(process.pid);
    await client.runs.join(thread.thread_id, run.run_id);
    const after = await waitFor(async () => {
      const a = await store.getAgent("served-two-node");
      return a?.activity?.lastRun?.outcome === "success" && a.activity.status === "idle" ? a : undefined;
    });
    expect(after.activity!.lastRun!.durationMs).toBeGreaterThanOrEqual(1500);
    expect(after.state).toBe("active");
  }, 180_000);
});

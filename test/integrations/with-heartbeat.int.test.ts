/**
 * An unmodified LangGraph graph wrapped with withHeartbeat, in its own process: active with its
 * current node while it runs, alive through a node longer than STALE_THRESHOLD (timer heartbeats),
 * a node error recorded, stale once the process is frozen (SIGSTOP).
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { AgentRecord } from "../../src/storage/index.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { freezeOutsideTheLock } from "../helpers/freeze.js";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

afterEach(async () => {
  await killChildren();
  await closeStores();
  removeTempDirs();
});

const THRESHOLD_MS = 600;

describe("withHeartbeat", () => {
  it("monitors a plain graph: current node, timer heartbeats through a long node, node errors, stale when frozen", async () => {
    const dir = makeTempDir();
    const path = join(dir, "state.db");
    const store = await openTestStore({ path });
    const child = spawnTs("test/integrations/fixtures/wrapped-graph.ts", {
      env: { DATABASE_PATH: path, AGENT_NAME: "two-node", HEARTBEAT_INTERVAL: "0.1", STALE_THRESHOLD: String(THRESHOLD_MS / 1000), ACT_MS: String(THRESHOLD_MS * 3), LOG_DIR: join(dir, "logs") },
    });
    const seen: AgentRecord[] = [];
    let stale: string[] = [];
    // a monitor's sweep, as the HeartbeatHealthAgent runs it, while the graph works
    const sweep = setInterval(() => {
      void store.markStaleAgents(THRESHOLD_MS).then((s) => (stale = stale.concat(s.map((x) => x.name))));
      void store.getAgent("two-node").then((a) => a && seen.push(a));
    }, 50);
    try {
      await child.waitForLine(/run1 done 2/, 20_000);
      const during = seen.filter((a) => a.activity?.node === "act" && a.activity.status === "running");
      expect(during.length).toBeGreaterThan(3);
      expect(during.every((a) => a.state === "active")).toBe(true);
      expect(during[0]!.activity!.threadId).toBe("thread-1");
      // the long node outlasted STALE_THRESHOLD, yet the timer kept the agent alive
      expect(stale).toEqual([]);
      const afterRun1 = await waitFor(async () => {
        const a = await store.getAgent("two-node");
        return a?.activity?.lastRun?.outcome === "success" ? a : undefined;
      });
      expect(afterRun1.activity!.lastRun!.durationMs).toBeGreaterThanOrEqual(THRESHOLD_MS * 3);
      await child.waitForLine(/run2 failed the tool call failed: boom/, 20_000);
      const failed = await waitFor(async () => {
        const a = await store.getAgent("two-node");
        return a && a.errorCount > 0 && a.activity?.lastRun?.outcome === "error" ? a : undefined;
      });
      expect(failed.lastError).toBe("the tool call failed: boom");
      expect(failed.state).toBe("error");
      expect(failed.stateReason).toBe("node act failed: the tool call failed: boom");
      expect(failed.activity!.status).toBe("idle");
      expect((await store.getErrors({ agent: "two-node" })).map((e) => e.message)).toEqual(["the tool call failed: boom"]);
      expect(stale).toEqual([]);
      await freezeOutsideTheLock(child.pid, `${path}.lock`);
      await waitFor(() => stale.includes("two-node"), { timeoutMs: 10_000 });
      expect((await store.getAgent("two-node"))!.state).toBe("stale");
      child.kill("SIGCONT");
    } finally {
      clearInterval(sweep);
    }
  });
});

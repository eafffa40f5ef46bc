/**
 * The whole loop with `npm start` (supervisor + agents as processes) and tracing on: every agent's
 * cycles go to a local LangSmith stand-in as traces, and the LangSmithBridgeAgent reads them back
 * from it into the shared database as run summaries, each once.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { LangSmithStandIn } from "../helpers/langsmith-standin.js";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

interface Row { run_id: string; agent: string; name: string; status: string; latency_ms: number | null; link: string | null }

const standIns: LangSmithStandIn[] = [];
afterEach(async () => {
  await killChildren();
  for (const s of standIns.splice(0)) await s.stop().catch(() => undefined);
  removeTempDirs();
});

describe("npm start with LangSmith tracing", () => {
  it("traces every agent's cycles and the bridge stores their summaries once", async () => {
    const ls = await LangSmithStandIn.start();
    standIns.push(ls);
    const dir = makeTempDir();
    const db = join(dir, "state.db");
    const child = spawnTs("src/main.ts", {
      cwd: dir,
      env: {
        DATABASE_PATH: db, LOG_DIR: join(dir, "logs"), HEARTBEAT_INTERVAL: "0.3", STALE_THRESHOLD: "20",
        LANGSMITH_TRACING: "true", LANGSMITH_API_KEY: "e2e-key", LANGSMITH_ENDPOINT: ls.url, LANGSMITH_PROJECT: "e2e",
      },
    });
    const rows = (): Row[] => {
      try {
        const conn = new Database(db, { readonly: true, fileMustExist: true });
        try {
          return conn.prepare(`SELECT run_id, agent, name, status, latency_ms, link FROM trace_runs`).all() as Row[];
        } finally {
          conn.close();
        }
      } catch {
        return []; // not created yet
      }
    };
    const finished = (agent: string) => rows().filter((r) => r.agent === agent && r.status === "success").length;
    await waitFor(() => finished("HeartbeatHealthAgent") >= 2 && finished("PerformanceMonitorAgent") >= 1 && finished("LangSmithBridgeAgent") >= 1,
      { timeoutMs: 90_000, intervalMs: 250, message: "cycle summaries of the three agents stored" });
    child.kill("SIGTERM");
    const { code } = await child.exited;
    expect(code).toBe(0);

    const stored = rows();
    const monitor = stored.filter((r) => r.agent === "HeartbeatHealthAgent" && r.status === "success");
    expect(monitor[0]).toMatchObject({ name: "HeartbeatHealthAgent.cycle" });
    expect(monitor.every((r) => (r.latency_ms ?? -1) >= 0 && r.link?.endsWith(`/r/${r.run_id}`))).toBe(true);
    // every stored summary is a root run the agents sent, and none twice
    const sent = new Set(ls.rootRuns().map((r) => r.id));
    expect(stored.every((r) => sent.has(r.run_id))).toBe(true);
    expect(new Set(stored.map((r) => r.run_id)).size).toBe(stored.length);
    const queries = ls.requests.filter((r) => r.path === "/api/v2/runs/query");
    expect(queries.length).toBeGreaterThan(0);
    expect(queries.every((r) => r.headers["x-api-key"] === "e2e-key")).toBe(true);
  });
});

/**
 * LangSmith tracing of a real agent process (`bg-agents monitor` = src/agents/heartbeat/main.ts) against a local receiver
 * that records what the `langsmith` client sends: one root run `<agent>.cycle` per cycle with the
 * nodes as children and our metadata; shutdown with the receiver down ends within the flush limit;
 * an unreachable endpoint never stops the agent's work.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { TRACE_FLUSH_TIMEOUT_MS } from "../../src/tracing/index.js";
import { LangSmithStandIn } from "../helpers/langsmith-standin.js";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

const AGENT = "HeartbeatHealthAgent";
const standIns: LangSmithStandIn[] = [];

afterEach(async () => {
  await killChildren();
  for (const s of standIns.splice(0)) await s.stop().catch(() => undefined);
  removeTempDirs();
});

function startAgent(endpoint: string) {
  const dir = makeTempDir();
  const db = join(dir, "state.db");
  const child = spawnTs("src/agents/heartbeat/main.ts", {
    cwd: dir,
    env: {
      DATABASE_PATH: db, LOG_DIR: join(dir, "logs"), HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "5",
      LANGSMITH_TRACING: "true", LANGSMITH_API_KEY: "test-key", LANGSMITH_ENDPOINT: endpoint, LANGSMITH_PROJECT: "tracing-test",
    },
  });
  const heartbeats = () => {
    try {
      const conn = new Database(db, { readonly: true, fileMustExist: true });
      try {
        return (conn.prepare(`SELECT heartbeats FROM agents WHERE name = ?`).get(AGENT) as { heartbeats: number } | undefined)?.heartbeats ?? 0;
      } finally {
        conn.close();
      }
    } catch {
      return 0; // not created yet
    }
  };
  return { child, heartbeats };
}

/** Stops the process with SIGTERM; resolves with its exit code and how long shutdown took. */
async function terminate(child: ReturnType<typeof spawnTs>) {
  const t0 = performance.now();
  child.kill("SIGTERM");
  const { code } = await child.exited;
  const ms = performance.now() - t0;
  console.log(`agent shutdown took ${ms.toFixed(0)} ms`);
  return { code, ms };
}

describe("LangSmith tracing of agent cycles", () => {
  it("sends one root run <agent>.cycle per cycle, the nodes as its children, with agent/cycle/pid/host/thread metadata and tags", async () => {
    const ls = await LangSmithStandIn.start();
    standIns.push(ls);
    const { child } = startAgent(ls.url);
    const done = () => ls.rootRuns(`${AGENT}.cycle`).filter((r) => r.end_time);
    await waitFor(() => done().length >= 3, { timeoutMs: 30_000, message: "three finished cycle traces received" });
    const { code } = await terminate(child);
    expect(code).toBe(0);

    expect(ls.requests.some((r) => r.method === "GET" && r.path === "/info")).toBe(true);
    const posts = ls.requests.filter((r) => r.method === "POST" && r.path === "/runs/multipart");
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((r) => r.headers["x-api-key"] === "test-key")).toBe(true);

    const roots = done();
    // one trace per cycle: every root is its own trace, cycles numbered 1, 2, 3, ...
    expect(new Set(roots.map((r) => r.trace_id)).size).toBe(roots.length);
    expect(roots.map((r) => r.extra!.metadata!.cycle).slice(0, 3)).toEqual([1, 2, 3]);
    for (const root of roots) {
      expect(root.trace_id).toBe(root.id);
      expect(root.session_name).toBe("tracing-test");
      expect(root.extra!.metadata).toMatchObject({ agent: AGENT, pid: child.pid, thread_id: `agent:${AGENT}` });
      expect(typeof root.extra!.metadata!.host).toBe("string");
      expect(root.tags).toEqual(expect.arrayContaining(["background-agents", `agent:${AGENT}`]));
      const nodes = ls.childrenOf(root.id);
      expect(nodes.every((n) => n.trace_id === root.id)).toBe(true);
      expect(nodes.map((n) => n.name)).toEqual(expect.arrayContaining(["loop", "check", "wait"]));
      for (const n of nodes.filter((x) => x.name === "check")) expect(n.extra!.metadata).toMatchObject({ langgraph_node: "check", agent: AGENT });
    }
    expect(ls.childrenOf(roots[0]!.id).map((n) => n.name)).toContain("init");
    // everything traced before shutdown was flushed: no root left open
    expect(ls.rootRuns(`${AGENT}.cycle`).filter((r) => !r.end_time)).toEqual([]);
  });

  it("shuts down within the flush limit when the receiver has gone down", async () => {
    const ls = await LangSmithStandIn.start();
    standIns.push(ls);
    const { child, heartbeats } = startAgent(ls.url);
    await waitFor(() => ls.rootRuns(`${AGENT}.cycle`).length >= 1, { timeoutMs: 30_000, message: "first trace received" });
    await ls.stop();
    const hb = heartbeats();
    await waitFor(() => heartbeats() >= hb + 5, { message: "the agent works on with the receiver down" });
    const { code, ms } = await terminate(child);
    expect(code).toBe(0);
    // the client alone retries ~2 minutes; ours gives up after TRACE_FLUSH_TIMEOUT_MS (+ the rest of a clean shutdown)
    expect(ms).toBeLessThan(TRACE_FLUSH_TIMEOUT_MS + 5_000);
  });

  it("keeps heartbeating and checking when the endpoint is unreachable from the start", async () => {
    const ls = await LangSmithStandIn.start();
    const url = ls.url;
    await ls.stop(); // nothing listens there any more
    const { child, heartbeats } = startAgent(url);
    await waitFor(() => heartbeats() >= 10, { timeoutMs: 30_000, message: "ten heartbeats with LangSmith unreachable" });
    expect(child.running).toBe(true);
    const { code, ms } = await terminate(child);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(TRACE_FLUSH_TIMEOUT_MS + 5_000);
  });
});

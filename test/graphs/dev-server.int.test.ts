/**
 * The graphs under the real LangGraph CLI dev server (`langgraphjs dev`, @langchain/langgraph-cli
 * 1.5.1), driven with @langchain/langgraph-sdk: the heartbeat graph with a cycle limit marks an
 * agent with an old heartbeat in DATABASE_PATH stale; larger limits need `recursion_limit`; every
 * graph in langgraph.json takes `{ maxCycles }` and ends. The server runs in a temp project dir
 * and is stopped (whole process group) after the tests, also when one fails.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SCHEMA_VERSION, SharedState } from "../../src/storage/sqlite/index.js";
import { startDevServer, stopDevServers, type DevServer } from "../helpers/langgraph-dev.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

const gitignoreBefore = readFileSync(join(REPO_ROOT, ".gitignore"), "utf8");
const apiDirBefore = existsSync(join(REPO_ROOT, ".langgraph_api"));

let server: DevServer;
let client: Client;
let dbPath: string;

async function withStore<T>(fn: (s: SharedState) => Promise<T>): Promise<T> {
  const store = await SharedState.open({ path: dbPath });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const dir = makeTempDir();
  dbPath = join(dir, "state.db");
  // an agent whose last heartbeat is 10 minutes old, and one that heartbeats now
  const past = Date.now() - 10 * 60_000;
  const old = await SharedState.open({ path: dbPath, clock: { now: () => past, sleep: async () => undefined } });
  await old.registerAgent("old-worker");
  await old.updateAgentState("old-worker", "active", "test fixture");
  await old.close();
  await withStore(async (s) => {
    await s.registerAgent("fresh-worker");
    await s.updateAgentState("fresh-worker", "active", "test fixture");
  });
  server = await startDevServer({
    env: { DATABASE_PATH: dbPath, HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "60", LOG_DIR: join(dir, "logs"), LOG_LEVEL: "warn" },
  });
  client = new Client({ apiUrl: server.url });
}, 180_000);

afterAll(async () => {
  const pid = server?.pid;
  await stopDevServers();
  if (pid) expect(() => process.kill(-pid, 0)).toThrow(); // the whole process group is gone
  removeTempDirs();
  // the repo itself was not touched by the dev server
  expect(readFileSync(join(REPO_ROOT, ".gitignore"), "utf8")).toBe(gitignoreBefore);
  expect(existsSync(join(REPO_ROOT, ".langgraph_api"))).toBe(apiDirBefore);
}, 60_000);

describe("the LangGraph CLI dev server", () => {
  it("runs heartbeat-health with { maxCycles: 3 }: three cycles, and the old agent is marked stale in the shared DB", async () => {
    const thread = await client.threads.create();
    const values = (await client.runs.wait(thread.thread_id, "heartbeat-health", { input: { maxCycles: 3 } })) as Record<string, unknown>;
    expect(values).toMatchObject({ maxCycles: 3, cycle: 3, runStartCycle: 0 });

    const state = await client.threads.getState(thread.thread_id);
    expect(state.next).toEqual([]);
    expect(state.values).toMatchObject({ cycle: 3 });

    await withStore(async (s) => {
      const old = await s.getAgent("old-worker");
      expect(old?.state).toBe("stale");
      expect(old?.stateReason).toMatch(/^no heartbeat for \d+(\.\d)?s \(threshold 60s\)$/);
      expect((await s.getAgent("fresh-worker"))?.state).toBe("active");
      const monitor = await s.getAgent("HeartbeatHealthAgent");
      expect(monitor?.state).toBe("active");
      expect(monitor?.heartbeats).toBeGreaterThanOrEqual(3);
      expect(monitor?.pid).not.toBe(process.pid); // written by the dev server's process
      const t = await s.getTransitions({ agent: "old-worker", to: "stale" });
      expect(t).toHaveLength(1);
    });
  });

  it("needs config.recursion_limit for more cycles than the default limit of 25 steps allows", async () => {
    const thread = await client.threads.create();
    const big = (await client.runs.wait(thread.thread_id, "heartbeat-health", {
      input: { maxCycles: 10 }, config: { recursion_limit: 10 * 5 + 10 },
    })) as Record<string, unknown>;
    expect(big).toMatchObject({ cycle: 10 });
    // the same run on the dev server's default limit (25) dies part-way through
    const other = await client.threads.create();
    const capped = await client.runs.wait(other.thread_id, "heartbeat-health", { input: { maxCycles: 10 } }).catch((e: Error) => ({ thrown: e.message }));
    expect(JSON.stringify(capped)).toMatch(/GraphRecursionError|Recursion limit of 25/);
  });

  it("runs every graph in langgraph.json with { maxCycles: 1 } to its end", async () => {
    const graphs = Object.keys((JSON.parse(readFileSync(join(REPO_ROOT, "langgraph.json"), "utf8")) as { graphs: Record<string, string> }).graphs);
    expect(graphs).toEqual(expect.arrayContaining(["heartbeat-health", "langsmith-bridge"]));
    for (const id of graphs) {
      const thread = await client.threads.create();
      const values = (await client.runs.wait(thread.thread_id, id, { input: { maxCycles: 1 } })) as Record<string, unknown>;
      expect(values, `${id}: ${JSON.stringify(values).slice(0, 500)}`).not.toHaveProperty("__error__");
      // the looping agents count their cycle; the one-shot initializer ends with the schema it checked
      if (id === "system-initializer") expect(values.schemaVersion, id).toBe(SCHEMA_VERSION);
      else expect(values, id).toMatchObject({ maxCycles: 1, cycle: 1 });
      const state = await client.threads.getState(thread.thread_id);
      expect(state.next, id).toEqual([]);
    }
  });

  it("leaves the project's .gitignore as it is (it already lists .langgraph_api, which the CLI would add)", () => {
    expect(existsSync(join(server.dir, ".langgraph_api"))).toBe(true); // the CLI did write its state here
    expect(readFileSync(join(server.dir, ".gitignore"), "utf8")).toBe(gitignoreBefore);
  });

  it("runs langsmith-bridge: without LANGSMITH_API_KEY it reports tracing off and idles", async () => {
    const thread = await client.threads.create();
    const values = (await client.runs.wait(thread.thread_id, "langsmith-bridge", { input: { maxCycles: 2 } })) as Record<string, unknown>;
    expect(values).toMatchObject({ cycle: 2, mode: "off", stored: 0 });
    await withStore(async (s) => {
      expect(await s.getAgent("LangSmithBridgeAgent")).toMatchObject({ state: "active", stateReason: "tracing off: LANGSMITH_API_KEY is not set; idle" });
    });
  });
});

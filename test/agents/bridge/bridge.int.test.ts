/**
 * LangSmithBridgeAgent against a local LangSmith stand-in that serves only the v2 runs API
 * (POST /api/v2/runs/query), through the real `langsmith` client: summaries land once across
 * cycles, the project id is looked up once, pages are followed and ordered oldest first, the
 * cursor survives a restart (a new process: the CLI's `traces --sync`, which prints no warning),
 * an unreachable or failing endpoint backs off without retries or failing the agent, no API key idles.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LangSmithBridgeAgent } from "../../../src/agents/bridge/agent.js";
import { loadConfig } from "../../../src/config/index.js";
import { openStore, type StateStore } from "../../../src/storage/index.js";
import { tracingSettings } from "../../../src/tracing/index.js";
import { LangSmithStandIn, projectId, type StandInRun } from "../../helpers/langsmith-standin.js";
import { captureLogger } from "../../helpers/log-capture.js";
import { killChildren, spawnTs } from "../../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";
import { waitFor } from "../../helpers/wait.js";

const PROJECT = "bridge-test";
const agents: LangSmithBridgeAgent[] = [];
const stores: StateStore[] = [];
const standIns: LangSmithStandIn[] = [];

afterEach(async () => {
  for (const a of agents.splice(0)) await a.stop();
  for (const s of stores.splice(0)) await s.close();
  for (const s of standIns.splice(0)) await s.stop().catch(() => undefined);
  await killChildren();
  removeTempDirs();
});

async function setup(dbPath = join(makeTempDir(), "state.db")) {
  const config = loadConfig({ DATABASE_PATH: dbPath, HEARTBEAT_INTERVAL: "0.1", STALE_THRESHOLD: "30", RETRY_ATTEMPTS: "2", LOG_LEVEL: "debug" });
  const store = await openStore(config);
  stores.push(store);
  return { config, store, dbPath };
}

async function standIn(port = 0) {
  const s = await LangSmithStandIn.start(port);
  standIns.push(s);
  return s;
}

const V2_QUERY = "/api/v2/runs/query";
const env = (endpoint: string, key: string | undefined = "test-key") => ({ LANGSMITH_API_KEY: key, LANGSMITH_ENDPOINT: endpoint, LANGSMITH_PROJECT: PROJECT });

let seq = 0;
function cycleRun(agent: string, startedAt: number, over: Partial<StandInRun> = {}): StandInRun {
  const id = `00000000-0000-4000-8000-${String(++seq).padStart(12, "0")}`;
  return {
    id, trace_id: id, name: `${agent}.cycle`, session_name: PROJECT, parent_run_id: null,
    start_time: startedAt, end_time: startedAt + 40, extra: { metadata: { agent, cycle: seq } }, tags: ["background-agents", `agent:${agent}`], ...over,
  };
}

function start(o: ConstructorParameters<typeof LangSmithBridgeAgent>[0]) {
  const agent = new LangSmithBridgeAgent(o);
  agents.push(agent);
  const done = agent.start();
  return { agent, done };
}

describe("LangSmithBridgeAgent", () => {
  it("stores each run once across cycles, with agent, status, latency, error, link, and per-agent stats", async () => {
    const ls = await standIn();
    const { config, store } = await setup();
    const now = Date.now();
    ls.addRun(cycleRun("W1", now - 5000));
    ls.addRun(cycleRun("W1", now - 4000, { error: "boom", end_time: now - 3900 }));
    ls.addRun(cycleRun("W2", now - 3000));
    const root = cycleRun("W2", now - 2000, { end_time: now - 1800 });
    ls.addRun(root);
    ls.addRun({ ...cycleRun("W2", now - 1990), parent_run_id: root.id, trace_id: root.id, name: "loop" }); // a node: not a root
    ls.addRun({ ...cycleRun("W9", now - 1000), session_name: "another-project" });

    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on("warning", onWarning);
    const { agent } = start({ config, store, settings: tracingSettings(env(ls.url)) });
    await waitFor(async () => (await store.traces.countRuns()) === 4, { message: "4 root runs of the project stored" });
    const cycles = agent.lastState?.cycle ?? 0;
    ls.addRun(cycleRun("W1", Date.now()));
    await waitFor(async () => (await store.traces.countRuns()) === 5 && (agent.lastState?.cycle ?? 0) >= cycles + 4, { message: "the new run stored, more cycles read" });
    expect(await store.traces.countRuns()).toBe(5);

    const runs = await store.traces.queryRuns({ limit: 100 });
    const failed = runs.find((r) => r.error === "boom")!;
    expect(failed).toMatchObject({ agent: "W1", name: "W1.cycle", status: "error", latencyMs: 100, project: PROJECT });
    expect(failed.link).toMatch(new RegExp(`/o/test-tenant/projects/p/.+/r/${failed.runId}$`));
    expect(runs.find((r) => r.runId === root.id)).toMatchObject({ agent: "W2", status: "success", latencyMs: 200 });

    const stats = await store.traces.getStats();
    expect(stats.find((s) => s.agent === "W1")).toMatchObject({ runs: 3, errors: 1, errorRate: 1 / 3 });
    expect(stats.find((s) => s.agent === "W2")).toMatchObject({ runs: 2, errors: 0, avgLatencyMs: 120 });

    // it read from its cursor through the v2 API: root runs of the project id (looked up once),
    // the fields it needs selected, later reads start later
    const queries = ls.requests.filter((r) => r.path === V2_QUERY).map((r) => r.body as Record<string, unknown>);
    expect(queries.length).toBeGreaterThan(3);
    expect(queries[0]).toMatchObject({ is_root: true, project_ids: [projectId(PROJECT)], page_size: 100 });
    expect(queries[0]!.selects).toEqual(expect.arrayContaining(["ID", "NAME", "STATUS", "START_TIME", "END_TIME", "ERROR", "METADATA", "TAGS", "APP_PATH"]));
    expect(Date.parse(String(queries.at(-1)!.min_start_time))).toBeGreaterThan(Date.parse(String(queries[0]!.min_start_time)));
    expect(ls.requests.filter((r) => r.path === "/sessions")).toHaveLength(1);
    expect(ls.requests.every((r) => r.headers["x-api-key"] === "test-key")).toBe(true);
    process.off("warning", onWarning);
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);

    const self = await store.getAgent("LangSmithBridgeAgent");
    expect(self).toMatchObject({ state: "active", stateReason: `reading LangSmith project "${PROJECT}"`, errorCount: 0 });
    await agent.stop();
    expect((await store.getAgent("LangSmithBridgeAgent"))?.state).toBe("stopped");
  });

  it("keeps its cursor across a restart: a new process reads on from it and stores nothing twice", async () => {
    const ls = await standIn();
    const { config, store, dbPath } = await setup();
    const t0 = Date.now() - 60_000;
    for (let i = 0; i < 3; i++) ls.addRun(cycleRun("W1", t0 + i * 1000));
    const { agent } = start({ config, store, settings: tracingSettings(env(ls.url)) });
    await waitFor(async () => (await store.traces.countRuns()) === 3);
    await agent.stop();
    const cursor = await store.traces.getCursor(PROJECT);
    expect(cursor).toBe(t0 + 2000);
    await store.close();
    stores.length = 0;

    ls.addRun(cycleRun("W1", t0 + 5000));
    const before = ls.requests.length;
    const child = spawnTs("src/cli/main.ts", {
      args: ["traces", "--sync", "--json", "-n", "50"],
      env: { ...env(ls.url), DATABASE_PATH: dbPath, LOG_DIR: join(makeTempDir(), "logs"), LANGSMITH_TRACING: "false" },
    });
    const { code } = await child.exited;
    expect(child.stderr).toBe(""); // no LANGSMITH_DEPRECATED_LIST_RUNS (or any other) warning
    expect(code).toBe(0);
    const out = JSON.parse(child.stdout) as { runs: unknown[]; sync: { since: string; read: number; inserted: number; updated: number } };
    // the new process started at the stored cursor, not at the one-hour lookback
    const query = ls.requests.slice(before).find((r) => r.path === V2_QUERY)!.body as { min_start_time: string };
    expect(Date.parse(query.min_start_time)).toBe(cursor);
    expect(out.sync).toMatchObject({ since: new Date(cursor!).toISOString(), read: 2, inserted: 1, updated: 0 });
    expect(out.runs).toHaveLength(4);

    const again = await openStore(config);
    stores.push(again);
    expect(await again.traces.countRuns()).toBe(4);
    expect(await again.traces.getCursor(PROJECT)).toBe(t0 + 5000);
  });

  it("follows the v2 cursor pages, keeps the oldest runs first, maps upper-case statuses, and reads a pending run again", async () => {
    const ls = await standIn();
    const { config, store } = await setup();
    const t0 = Date.now() - 60_000;
    const [a, b, c, d, e] = [
      cycleRun("W1", t0), cycleRun("W1", t0 + 1000, { error: "boom", status: "error" }), cycleRun("W1", t0 + 2000, { end_time: null }),
      cycleRun("W1", t0 + 3000), cycleRun("W1", t0 + 4000),
    ];
    for (const r of [e, c, a, d, b]) ls.addRun(r!);
    const agent = new LangSmithBridgeAgent({ config, store, settings: tracingSettings(env(ls.url)), pageSize: 3 });

    const first = await agent.syncOnce();
    // the stand-in answers newest first, 3 a page: both pages read, the oldest three kept
    expect(first.runs.map((r) => [r.runId, r.status])).toEqual([[a!.id, "success"], [b!.id, "error"], [c!.id, "pending"]]);
    expect(first.cursor).toBe(t0 + 2000); // held at the pending run
    const pages = ls.requests.filter((r) => r.path === V2_QUERY).map((r) => r.body as { cursor?: string; page_size: number });
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ page_size: 3 });
    expect(pages[0]!.cursor).toBeUndefined();
    expect(pages[1]!.cursor).toEqual(expect.any(String));

    ls.addRun({ ...c!, end_time: t0 + 2500, status: "SUCCESS" });
    const second = await agent.syncOnce();
    expect(second.runs.map((r) => r.runId)).toEqual([c!.id, d!.id, e!.id]);
    expect(second).toMatchObject({ inserted: 2, updated: 1, cursor: t0 + 4000 });
    expect((await store.traces.queryRuns({ limit: 10 })).find((r) => r.runId === c!.id)).toMatchObject({ status: "success", latencyMs: 500 });
    expect(await store.traces.countRuns()).toBe(5);
    expect(ls.requests.filter((r) => r.path === "/sessions")).toHaveLength(1); // the project id, resolved once
  });

  it("fails fast when the v2 query answers an error: one request per read, no client retries", async () => {
    const ls = await standIn();
    const { config, store } = await setup();
    ls.addRun(cycleRun("W1", Date.now() - 1000));
    ls.failWith = 503;
    ls.failPath = V2_QUERY;
    const agent = new LangSmithBridgeAgent({ config, store, settings: tracingSettings(env(ls.url)) });
    await expect(agent.syncOnce()).rejects.toThrow(/503/);
    expect(ls.requests.filter((r) => r.path === V2_QUERY)).toHaveLength(1);
    expect(await store.traces.countRuns()).toBe(0);
    ls.failWith = undefined;
    await agent.syncOnce();
    expect(await store.traces.countRuns()).toBe(1);
  });

  it("backs off while LangSmith is unreachable, records the error, stays active, and recovers", async () => {
    const ls = await standIn();
    const port = ls.port;
    await ls.stop(); // the endpoint is down: connections are refused
    standIns.length = 0;
    const { config, store } = await setup();
    const { agent, done } = start({ config, store, settings: tracingSettings(env(`http://127.0.0.1:${port}`)), retryBaseMs: 300, maxBackoffMs: 1500 });
    let failedAgent: unknown;
    done.catch((e) => (failedAgent = e));

    await waitFor(async () => (await store.getErrors({ agent: "LangSmithBridgeAgent" })).length >= 3 && (agent.lastState?.cycle ?? 0) >= 12,
      { timeoutMs: 30_000, message: "several failed reads over many cycles" });
    const errors = await store.getErrors({ agent: "LangSmithBridgeAgent", limit: 1000 });
    const cycles = agent.lastState!.cycle;
    expect(errors[0]!.message).toMatch(/LangSmith read failed .*unreachable.*next try in/);
    expect(errors.length).toBeLessThan(cycles); // backoff: not every cycle tries
    const self = (await store.getAgent("LangSmithBridgeAgent"))!;
    expect(self.state).toBe("active");
    expect(self.stateReason).toMatch(/LangSmith read failed/);
    expect(self.heartbeats).toBeGreaterThanOrEqual(cycles); // it heartbeats every cycle meanwhile
    const transitions = await store.getTransitions({ agent: "LangSmithBridgeAgent" });
    expect(transitions.map((t) => t.to)).not.toContain("error");
    expect(transitions.map((t) => t.to)).not.toContain("failed");
    expect(failedAgent).toBeUndefined();

    // the endpoint comes back on the same port: the next due read succeeds
    const back = await standIn(port);
    back.addRun(cycleRun("W1", Date.now() - 1000));
    await waitFor(async () => (await store.traces.countRuns()) === 1, { timeoutMs: 20_000, message: "recovered and stored the run" });
    await waitFor(async () => (await store.getAgent("LangSmithBridgeAgent"))?.stateReason === `reading LangSmith project "${PROJECT}"`);
  });

  it("without an API key reports tracing off once, idles (heartbeats only) and calls nothing", async () => {
    const ls = await standIn();
    const { config, store } = await setup();
    const { logger, entries } = captureLogger("LangSmithBridgeAgent");
    const { agent } = start({ config, store, logger, settings: tracingSettings(env(ls.url, "")) });
    await waitFor(() => (agent.lastState?.cycle ?? 0) >= 5);
    const self = (await store.getAgent("LangSmithBridgeAgent"))!;
    expect(self).toMatchObject({ state: "active", stateReason: "tracing off: LANGSMITH_API_KEY is not set; idle", errorCount: 0 });
    expect(agent.lastState?.mode).toBe("off");
    expect(entries.filter((e) => e.message.includes("tracing off"))).toHaveLength(1);
    expect(ls.requests).toHaveLength(0);
  });
});

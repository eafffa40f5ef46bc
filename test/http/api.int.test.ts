/**
 * The JSON API against a real server (port 0) over a real temp SQLite file: push heartbeats keep an
 * agent active and their absence makes it stale; every bad request gets a 4xx and writes nothing;
 * restart requests only for the running supervisor's agents, clean-up keeps them; bind and token
 * rules; live events; agent logs.
 */
import { hostname } from "node:os";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { isConfigError } from "../../src/errors/index.js";
import { startServer } from "../../src/http/index.js";
import { closeLogger, createLogger } from "../../src/logging/index.js";
import { AGENT_STATES, LIVE_STATES, REVIVABLE_STATES, STATE_LABELS, STATE_SORT_ORDER, SYSTEM_KEYS } from "../../src/storage/index.js";
import { type SharedState } from "../../src/storage/sqlite/index.js";
import { InstanceLock, type SupervisorRecord } from "../../src/supervisor/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { closeServers, post, rawPost, snapshot, startTestServer } from "./helpers.js";

const locks: InstanceLock[] = [];

afterEach(async () => {
  for (const l of locks.splice(0)) l.release();
  await closeServers();
  await closeStores();
  removeTempDirs();
});

const TOKEN = "test-token-0123456789abcdef";

/**
 * This process plays the running supervisor of `path`: it takes the real supervisor lock
 * (`<db>.supervisor.lock`, the one `bg-agents start` holds) and writes the record it writes.
 */
async function actAsSupervisor(store: SharedState, path: string, agents: string[]): Promise<void> {
  locks.push(InstanceLock.acquire(path));
  const record: SupervisorRecord = { pid: process.pid, host: hostname(), startedAt: Date.now(), agents, children: [] };
  await store.fleet.setSystemState(SYSTEM_KEYS.supervisor, record);
}


/** Reads an event stream until its text so far matches `re`. */
function eventStreamReader(res: Response): (re: RegExp) => Promise<void> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  return async (re) => {
    while (!re.test(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${re}`);
      text += value;
    }
  };
}

describe("heartbeat push", () => {
  it("keeps an agent active while it pushes; without pushes the sweep marks it stale; a push revives it", async () => {
    const { url, store, config } = await startTestServer();
    const name = "python-worker";
    const push = () => post(`${url}/api/agents/${name}/heartbeat`, JSON.stringify({ status: "ok", pid: 4242, host: "py-host", latencyMs: 3.5 }));
    expect((await push()).status).toBe(202);
    // pushing every 100 ms for 3x the stale threshold while the sweep runs: never stale
    const until = Date.now() + config.staleThresholdMs * 3;
    while (Date.now() < until) {
      expect((await push()).status).toBe(202);
      expect(await store.markStaleAgents(config.staleThresholdMs)).toEqual([]);
      await new Promise((r) => setTimeout(r, 100));
    }
    const agent = (await (await fetch(`${url}/api/agents/${name}`)).json()) as { agent: Record<string, unknown>; suspicion: Record<string, number | string> };
    expect(agent.agent).toMatchObject({ name, state: "active", pid: 4242, host: "py-host", heartbeatLatencyMs: 3.5 });
    // the pushes taught the store its rhythm (~100 ms): the detail shows phi and the bound it leads to
    expect(agent.suspicion.intervals).toBeGreaterThan(5);
    expect(agent.suspicion.meanIntervalMs).toBeGreaterThan(50);
    expect(agent.suspicion.meanIntervalMs).toBeLessThan(1000);
    expect(agent.suspicion.rule).not.toBe("fixed");
    expect(agent.suspicion.staleAfterMs).toBeLessThanOrEqual(config.staleThresholdMs);
    // silence: the sweep marks it stale once the threshold has passed
    await waitFor(async () => (await store.markStaleAgents(config.staleThresholdMs)).some((s) => s.name === name), { message: "agent never went stale" });
    const list = (await (await fetch(`${url}/api/agents`)).json()) as Array<{ name: string; state: string; stateLabel: string }>;
    expect(list.find((a) => a.name === name)).toMatchObject({ state: "stale", stateLabel: "Inactive (stale)" });
    expect((await push()).body).toMatchObject({ state: "active" });
  });

  it("registers an unknown agent from an empty push and records a reported error", async () => {
    const { url, store } = await startTestServer();
    expect((await post(`${url}/api/agents/fresh/heartbeat`)).status).toBe(202);
    expect((await store.getAgent("fresh"))?.state).toBe("active");
    const r = await post(`${url}/api/agents/fresh/heartbeat`, JSON.stringify({ status: "error", message: "disk full" }));
    expect(r).toMatchObject({ status: 202, body: { state: "error" } });
    expect(await store.getAgent("fresh")).toMatchObject({ errorCount: 1, lastError: "disk full" });
    // a plain push leaves the state as it is, and the answer says so
    expect((await post(`${url}/api/agents/fresh/heartbeat`, JSON.stringify({ pid: 5 }))).body).toMatchObject({ state: "error" });
    expect((await post(`${url}/api/agents/fresh/heartbeat`, JSON.stringify({ status: "up" }))).body).toMatchObject({ state: "active" });
    await store.registerAgent("booting");
    expect((await post(`${url}/api/agents/booting/heartbeat`)).body).toMatchObject({ state: "initializing" });
    expect(await store.getAgent("booting")).toMatchObject({ state: "initializing", heartbeats: 1 });
  });
});

describe("bad requests", () => {
  it("answer 4xx with a JSON message and change nothing in the database", async () => {
    const { url, store } = await startTestServer();
    await store.registerAgent("known", { pid: 1, host: "h" });
    await store.updateAgentState("known", "stale", "test");
    const hb = `${url}/api/agents/known/heartbeat`;
    const json = { "content-type": "application/json" };
    const cases: Array<[string, () => Promise<Response>, number]> = [
      ["malformed JSON", () => fetch(hb, { method: "POST", headers: json, body: "{\"status\": " }), 400],
      ["JSON array", () => fetch(hb, { method: "POST", headers: json, body: "[]" }), 400],
      ["unknown field", () => fetch(hb, { method: "POST", headers: json, body: JSON.stringify({ status: "ok", evil: true }) }), 400],
      ["__proto__ field", () => fetch(hb, { method: "POST", headers: json, body: '{"__proto__": {"x": 1}}' }), 400],
      ["wrong type", () => fetch(hb, { method: "POST", headers: json, body: JSON.stringify({ pid: "123" }) }), 400],
      ["negative latency", () => fetch(hb, { method: "POST", headers: json, body: JSON.stringify({ latencyMs: -1 }) }), 400],
      ["unknown status", () => fetch(hb, { method: "POST", headers: json, body: JSON.stringify({ status: "meh" }) }), 400],
      ["oversized body", () => fetch(hb, { method: "POST", headers: json, body: JSON.stringify({ message: "x".repeat(64 * 1024) }) }), 413],
      ["text body", () => fetch(hb, { method: "POST", headers: { "content-type": "text/plain" }, body: "alive" }), 415],
      ["form body", () => fetch(hb, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "status=ok" }), 415],
      ["empty JSON body", () => fetch(hb, { method: "POST", headers: json, body: "" }), 400],
      ["name too long", () => fetch(`${url}/api/agents/${"n".repeat(129)}/heartbeat`, { method: "POST" }), 400],
      ["control character in name", () => fetch(`${url}/api/agents/bad%0Aname/heartbeat`, { method: "POST" }), 400],
      ["blank name", () => fetch(`${url}/api/agents/%20/heartbeat`, { method: "POST" }), 400],
      ["bidi control in name", () => fetch(`${url}/api/agents/${encodeURIComponent("w\u202E1")}/heartbeat`, { method: "POST" }), 400],
      ["blank host", () => fetch(hb, { method: "POST", headers: json, body: JSON.stringify({ host: "  " }) }), 400],
      ["JSON null body", () => fetch(hb, { method: "POST", headers: json, body: "null" }), 400],
      ["cross-origin push", () => fetch(hb, { method: "POST", headers: { ...json, origin: "http://evil.example" }, body: "{}" }), 403],
      ["restart unknown agent", () => fetch(`${url}/api/agents/ghost/restart`, { method: "POST" }), 404],
      ["restart with a body field", () => fetch(`${url}/api/agents/known/restart`, { method: "POST", headers: json, body: JSON.stringify({ now: true }) }), 400],
      ["clean-up with wrong type", () => fetch(`${url}/api/cleanup-stale`, { method: "POST", headers: json, body: JSON.stringify({ dryRun: "yes" }) }), 400],
      ["clean-up with unknown field", () => fetch(`${url}/api/cleanup-stale`, { method: "POST", headers: json, body: JSON.stringify({ all: true }) }), 400],
      ["bad list query", () => fetch(`${url}/api/agents?state=sleepy`), 400],
      ["unknown query parameter", () => fetch(`${url}/api/agents?drop=1`), 400],
      ["foreign Host header (DNS rebinding)", () => rawPost(hb, { host: "attacker.example:80" }), 421],
      ["Host header that does not parse", () => rawPost(hb, { host: "attacker.example:99999" }), 421],
      ["unknown route", () => fetch(`${url}/api/agents/known/explode`, { method: "POST" }), 404],
    ];
    const before = snapshot(store);
    for (const [what, send, status] of cases) {
      const res = await send();
      const body = (await res.json().catch(() => null)) as { message?: unknown } | null;
      expect({ what, status: res.status }).toEqual({ what, status });
      expect(typeof body?.message, `${what}: JSON message`).toBe("string");
      expect(snapshot(store), `${what} wrote to the database`).toBe(before);
    }
  });

  it("with API_TOKEN set, state-changing routes need the bearer token; reads do not", async () => {
    const { url, store, config } = await startTestServer({ API_TOKEN: TOKEN });
    await store.registerAgent("known");
    await actAsSupervisor(store, config.databasePath, ["known"]);
    const before = snapshot(store);
    for (const auth of [undefined, "Bearer wrong-token-wrong-token", `Basic ${TOKEN}`, TOKEN]) {
      const headers: Record<string, string> = auth ? { authorization: auth } : {};
      for (const path of ["/api/agents/known/heartbeat", "/api/agents/known/restart", "/api/cleanup-stale"]) {
        const r = await post(`${url}${path}`, undefined, headers);
        expect({ path, auth, status: r.status }).toEqual({ path, auth, status: 401 });
      }
    }
    expect(snapshot(store)).toBe(before);
    expect((await fetch(`${url}/api/agents`)).status).toBe(200);
    expect((await post(`${url}/api/agents/known/restart`, undefined, { authorization: `Bearer ${TOKEN}` })).status).toBe(202);
    expect((await store.getAgent("known"))?.restartRequestedAt).not.toBeNull();
  });
});

describe("restart requests and clean-up", () => {
  it("refuses a restart with 409 when no supervisor runs, and writes nothing", async () => {
    const { url, store, config } = await startTestServer();
    await store.updateHeartbeat("pushy", { pid: 4242, host: "py-host" });
    // a supervisor ran once (its record is there) but none holds the lock now
    const record: SupervisorRecord = { pid: 999_999_999, host: hostname(), startedAt: 0, agents: ["pushy"], children: [] };
    await store.fleet.setSystemState(SYSTEM_KEYS.supervisor, record);
    const before = snapshot(store);
    const r = await post(`${url}/api/agents/pushy/restart`);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: "NO_SUPERVISOR", name: "pushy" });
    expect(r.body!.message).toMatch(/^No supervisor is running on this database, so nothing would serve a restart request; none was recorded\. Start the fleet with bg-agents start/);
    expect(snapshot(store)).toBe(before);
    expect(existsSync(`${config.databasePath}.supervisor.lock`)).toBe(false); // the check creates no file
  });

  it("refuses a restart with 409 for an agent the running supervisor does not run; accepts one it runs", async () => {
    const { url, store, config } = await startTestServer();
    await store.updateHeartbeat("pushy", { pid: 4242, host: "py-host" });
    await store.registerAgent("Worker");
    await actAsSupervisor(store, config.databasePath, ["Worker"]);
    const before = snapshot(store);
    const r = await post(`${url}/api/agents/pushy/restart`);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ error: "AGENT_NOT_SUPERVISED", name: "pushy" });
    expect(r.body!.message).toMatch(new RegExp(`^pushy is not supervised: the running supervisor \\(pid ${process.pid}\\) does not run it, ` +
      `so a restart request would never be served; none was recorded\\. Restart it where it runs \\(pid 4242 on py-host\\)\\.$`));
    expect(snapshot(store)).toBe(before);

    const ok = await post(`${url}/api/agents/Worker/restart`);
    expect(ok).toMatchObject({ status: 202, body: { ok: true, name: "Worker" } });
    expect(await store.pendingRestarts()).toEqual(["Worker"]);
  });

  it("clean-up keeps the running supervisor's agents, lists them as kept, and removes the rest", async () => {
    const { url, store, config } = await startTestServer();
    for (const n of ["Worker", "pushy", "gone"]) await store.updateHeartbeat(n);
    await store.updateAgentState("Worker", "failed", "restart budget spent");
    await store.updateAgentState("pushy", "stale", "no heartbeat");
    await store.updateAgentState("gone", "stopped", "shutdown");
    await actAsSupervisor(store, config.databasePath, ["Worker", "HeartbeatHealthAgent"]);

    const dry = await post(`${url}/api/cleanup-stale`, JSON.stringify({ dryRun: true }));
    expect(dry.status).toBe(200);
    expect(dry.body).toEqual({
      ok: true, dryRun: true, removed: ["gone", "pushy"],
      kept: [{ name: "Worker", reason: `supervised: the running supervisor (pid ${process.pid}) runs it` }],
    });
    const real = await post(`${url}/api/cleanup-stale`);
    expect(real.body).toMatchObject({ ok: true, dryRun: false, removed: ["gone", "pushy"], kept: [{ name: "Worker" }] });
    expect((await store.getRegisteredAgents()).map((a) => a.name)).toEqual(["Worker"]);
    expect(await store.getTransitions({ agent: "Worker" })).not.toEqual([]); // its history too
    // so it can still be restarted
    expect((await post(`${url}/api/agents/Worker/restart`)).status).toBe(202);
  });
});

describe("binding", () => {
  it("refuses a non-loopback address without API_TOKEN, with a message that says what to do", async () => {
    const store = await openTestStore();
    const config = loadConfig({ DATABASE_PATH: store.path, DASHBOARD_HOST: "0.0.0.0", DASHBOARD_PORT: "0" });
    const err = await startServer({ store, config, logger: captureLogger().logger }).catch((e: unknown) => e);
    expect(isConfigError(err)).toBe(true);
    expect((err as Error).message).toMatch(/API_TOKEN.*127\.0\.0\.1/);
  });

  it("binds a non-loopback address with a token and then always asks for it", async () => {
    const { server, store } = await startTestServer({ API_TOKEN: TOKEN, PING_KEY: "a-ping-key-of-16-chars", DASHBOARD_HOST: "0.0.0.0" });
    const local = `http://127.0.0.1:${server.port}`;
    expect((await post(`${local}/api/agents/x/heartbeat`)).status).toBe(401);
    expect((await post(`${local}/api/agents/x/heartbeat`, undefined, { authorization: `Bearer ${TOKEN}` })).status).toBe(202);
    expect(await store.getAgent("x")).toBeDefined();
  });
});

describe("reads", () => {
  it("lists AgentView objects with filter, sort and paging; summary has the seed's line", async () => {
    const { url, store } = await startTestServer();
    for (const n of ["c", "a", "b", "d"]) await store.updateHeartbeat(n, { pid: 100 });
    await store.updateAgentState("d", "failed", "test");
    await store.recordError("b", "boom");
    const all = (await (await fetch(`${url}/api/agents`)).json()) as Array<Record<string, unknown>>;
    expect(all.map((a) => a.name)).toEqual(["a", "b", "c", "d"]);
    for (const key of ["name", "state", "pid", "host", "lastHeartbeat", "uptime", "restarts", "lastError"]) expect(all[0]).toHaveProperty(key);
    const page = await fetch(`${url}/api/agents?state=active&sort=errorCount&order=desc&limit=2&offset=0`);
    expect(page.headers.get("x-total-count")).toBe("3");
    expect(((await page.json()) as Array<{ name: string }>).map((a) => a.name)).toEqual(["b", "a"]);
    expect(await (await fetch(`${url}/api/summary`)).json()).toMatchObject({ total: 4, active: 3, line: "Active agents: 3/4", byState: { failed: 1 } });
    expect((await fetch(`${url}/api/agents/nobody`)).status).toBe(404);
  });

  it("settings carry the state vocabulary the page renders with (it keeps no copy)", async () => {
    const { url } = await startTestServer();
    const settings = (await (await fetch(`${url}/api/settings`)).json()) as { states: unknown };
    expect(settings.states).toEqual({
      all: [...AGENT_STATES], live: [...LIVE_STATES], revivable: [...REVIVABLE_STATES], labels: STATE_LABELS, sortOrder: [...STATE_SORT_ORDER],
    });
  });

  it("streams a summary event at connect and another after a push", async () => {
    const { url } = await startTestServer();
    const ctl = new AbortController();
    const res = await fetch(`${url}/api/events`, { signal: ctl.signal });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const readUntil = eventStreamReader(res);
    await readUntil(/event: summary\ndata: .*"total":0/);
    await post(`${url}/api/agents/sse-agent/heartbeat`);
    await readUntil(/event: summary\ndata: .*"line":"Active agents: 1\/1"/);
    ctl.abort();
  });

  it("polls for a burst of pushes a few times, not once per push, and still sends the final summary", async () => {
    // no periodic poll within the test: every poll comes from a push's nudge
    const { url, store } = await startTestServer({}, { livePollMs: 600_000, liveNudgeGapMs: 1000 });
    const ctl = new AbortController();
    const res = await fetch(`${url}/api/events`, { signal: ctl.signal });
    const readUntil = eventStreamReader(res);
    await readUntil(/event: summary\ndata: .*"total":0/);
    const polls = vi.spyOn(store, "changeToken");
    const replies = await Promise.all(Array.from({ length: 200 }, (_, i) => post(`${url}/api/agents/burst-${i}/heartbeat`)));
    expect(replies.every((r) => r.status === 202)).toBe(true);
    await readUntil(/event: summary\ndata: .*"line":"Active agents: 200\/200"/);
    expect(polls.mock.calls.length).toBeGreaterThan(0);
    expect(polls.mock.calls.length).toBeLessThan(20);
    ctl.abort();
  });

  it("shows the newest lines of the agent's daily log file", async () => {
    const dir = makeTempDir();
    const logger = createLogger({ agentName: "logger-agent", level: "info", dir, console: false });
    logger.child({ module: "worker" }).info("first line");
    logger.child({ module: "worker" }).warn("second <b>line</b>");
    await closeLogger(logger);
    const { url, store } = await startTestServer({ LOG_DIR: dir });
    await store.registerAgent("logger-agent");
    const body = (await (await fetch(`${url}/api/agents/logger-agent/logs?lines=1`)).json()) as { file: string; lines: Array<Record<string, unknown>> };
    expect(body.file).toBe(`agent_logger-agent-${new Date().toISOString().slice(0, 10)}.log`); // no server path
    expect(body.lines).toEqual([expect.objectContaining({ level: "warn", module: "worker", message: "second <b>line</b>" })]);
  });
});

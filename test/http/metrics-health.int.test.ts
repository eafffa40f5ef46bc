/**
 * `/metrics` is valid Prometheus text with the documented families; `/healthz` answers 200 while the
 * HeartbeatHealthAgent (a real child process) heartbeats, and 503 once it is killed or stopped.
 */
import { afterEach, describe, expect, it } from "vitest";
import { HeartbeatHealthAgent } from "../../src/agents/heartbeat/agent.js";
import { captureLogger } from "../helpers/log-capture.js";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { closeStores } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { closeServers, parsePrometheus, post, startTestServer } from "./helpers.js";

afterEach(async () => {
  await killChildren();
  await closeServers();
  await closeStores();
  removeTempDirs();
});

const healthz = async (url: string) => {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; reason?: string } };
};

describe("/metrics", () => {
  it("parses as Prometheus text and carries agents, ages, checks, transitions, anomalies, DB and lock latency", async () => {
    const { url, store, server } = await startTestServer();
    await post(`${url}/api/agents/worker-1/heartbeat`);
    await post(`${url}/api/agents/worker%222/heartbeat`); // a quote in a label value must be escaped
    await store.updateAgentState("worker-1", "stale", "test");
    const open = (signal: string) => ({ [signal]: { since: store.clock.now(), value: 99, baseline: 2, text: "x" } });
    await store.signals.save([
      { agent: "worker\"2", sampledAt: store.clock.now(), state: {}, open: open("cpuPercent") },
      { agent: "worker-1", sampledAt: store.clock.now(), state: {}, open: open("rssBytes") }, // stale: not shown
    ], []);
    await waitFor(async () => (await server.app.inject({ url: "/api/perf" })).json().samples.length > 0);
    const res = await fetch(`${url}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheus(await res.text());
    const expected: Record<string, string> = {
      bg_agents_agents: "gauge",
      bg_agents_heartbeat_age_seconds: "gauge",
      bg_agents_suspicion_phi: "gauge",
      bg_agents_anomaly: "gauge",
      bg_agents_checks_total: "counter",
      bg_agents_transitions_total: "counter",
      bg_agents_db_read_seconds: "histogram",
      bg_agents_lock_wait_seconds: "histogram",
      bg_agents_db_file_bytes: "gauge",
      bg_agents_http_request_seconds: "histogram",
    };
    for (const [name, type] of Object.entries(expected)) expect({ name, type: families.get(name)?.type }).toEqual({ name, type });
    const byState = Object.fromEntries(families.get("bg_agents_agents")!.samples.map((s) => [s.labels.state, s.value]));
    expect(byState).toMatchObject({ active: 1, stale: 1, failed: 0 });
    const ages = families.get("bg_agents_heartbeat_age_seconds")!.samples.map((s) => s.labels.agent);
    expect(ages.sort()).toEqual(["worker\"2", "worker-1"]);
    // phi for live agents only; one heartbeat teaches no rhythm, so 0
    expect(families.get("bg_agents_suspicion_phi")!.samples.map((s) => [s.labels.agent, s.value])).toEqual([["worker\"2", 0]]);
    expect(families.get("bg_agents_anomaly")!.samples.map((s) => [s.labels.agent, s.labels.signal, s.value])).toEqual([["worker\"2", "cpuPercent", 1]]);
    const detail = (await (await fetch(`${url}/api/agents/${encodeURIComponent("worker\"2")}`)).json()) as { anomalies: unknown[]; degrading: unknown };
    expect(detail).toMatchObject({ anomalies: [{ signal: "cpuPercent", value: 99, baseline: 2, text: "x" }], degrading: null });
    const toStale = families.get("bg_agents_transitions_total")!.samples.find((s) => s.labels.to === "stale");
    expect(toStale?.value).toBe(1);
    expect(families.get("bg_agents_db_read_seconds")!.samples.find((s) => s.name.endsWith("_count"))!.value).toBeGreaterThan(0);
    expect(families.get("bg_agents_lock_wait_seconds")!.samples.find((s) => s.name.endsWith("_count"))!.value).toBeGreaterThan(0);
  });
});

describe("/api/perf samples", () => {
  it("sum the RSS and CPU of live agents and count every agent, stopped ones included", async () => {
    const { url, store, server } = await startTestServer();
    await post(`${url}/api/agents/a/heartbeat`, JSON.stringify({ rssBytes: 1_000_000, cpuPercent: 1.5 }));
    await post(`${url}/api/agents/b/heartbeat`, JSON.stringify({ rssBytes: 2_000_000, cpuPercent: 0.5 }));
    await post(`${url}/api/agents/gone/heartbeat`, JSON.stringify({ rssBytes: 9_000_000, cpuPercent: 9 }));
    await store.updateAgentState("gone", "stopped", "test");
    const latest = async () => (await server.app.inject({ url: "/api/perf" })).json().samples.at(-1) as Record<string, number> | undefined;
    await waitFor(async () => (await latest())?.agents === 3, { message: "no sample with the three agents" });
    expect(await latest()).toMatchObject({ agents: 3, rssBytes: 3_000_000, cpuPercent: 2 });
  });
});

describe("/healthz", () => {
  it("is 200 while the monitor process heartbeats and 503 once it is killed", async () => {
    const { url, config } = await startTestServer({ STALE_THRESHOLD: "1.5" });
    expect(await healthz(url)).toMatchObject({ status: 503, body: { status: "unhealthy" } });
    const monitor = spawnTs("test/http/fixtures/monitor.ts", {
      env: { DATABASE_PATH: config.databasePath, HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "1.5", LOG_DIR: config.logDir },
    });
    await monitor.waitForLine(/monitoring/);
    await waitFor(async () => (await healthz(url)).status === 200, { message: "healthz never became 200" });
    // still healthy a while later: the monitor keeps heartbeating
    await new Promise((r) => setTimeout(r, 2000));
    expect((await healthz(url)).status).toBe(200);
    monitor.kill("SIGKILL");
    await monitor.exited;
    const down = await waitFor(async () => {
      const h = await healthz(url);
      return h.status === 503 ? h : undefined;
    }, { message: "healthz stayed 200 after the monitor died" });
    expect(down.body.reason).toMatch(/has not heartbeaten/);
  });

  it("is 503 as soon as the monitor is stopped cleanly", async () => {
    const { url, store, config } = await startTestServer();
    const agent = new HeartbeatHealthAgent({ config, store, logger: captureLogger().logger });
    const run = agent.start();
    await waitFor(async () => (await healthz(url)).status === 200);
    await agent.stop();
    await run;
    expect(await healthz(url)).toMatchObject({ status: 503, body: { reason: expect.stringMatching(/is stopped/) } });
  });

  it("is 503 starting, not stopped, while a brand-new database's monitor has not started yet", async () => {
    const { url, store, config } = await startTestServer({ STALE_THRESHOLD: "60" });
    // what the SystemInitializer does before the supervisor spawns the monitor
    await store.fleet.ensureRegistered([config.agentName], "registered by SystemInitializer; not started yet");
    expect(await healthz(url)).toMatchObject({ status: 503, body: { status: "starting", reason: expect.stringMatching(/is starting/) } });
  });

  it("is 503 starting while a new start of the system has not reached a monitor the last run stopped", async () => {
    const { url, store, config } = await startTestServer({ STALE_THRESHOLD: "60" });
    await store.registerAgent(config.agentName, { pid: 999_999 });
    await store.updateAgentState(config.agentName, "stopped", "supervisor: SIGINT received");
    expect(await healthz(url)).toMatchObject({ status: 503, body: { status: "unhealthy", reason: expect.stringMatching(/is stopped/) } });
    await store.fleet.setSystemState("system", { startedAt: Date.now() + 1 });
    expect(await healthz(url)).toMatchObject({ status: 503, body: { status: "starting" } });
  });
});

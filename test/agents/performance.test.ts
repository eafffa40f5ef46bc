/**
 * PerformanceMonitorAgent on a real SQLite file with an injected clock: samples land in the DB,
 * a threshold crossed for PERF_ALERT_FOR logs one warning (not one per cycle) and one "back to
 * normal", start-up CPU and a value jumping around the limit raise no stream of alerts, and
 * retention keeps the tables bounded over a simulated day and a half of samples.
 */
import { afterEach, describe, expect, it } from "vitest";
import { buildGraph } from "../../graphs/performance-monitor.js";
import { createAgentContext } from "../../src/agents/context.js";
import { evaluateSamples, type Alerts } from "../../src/agents/performance/evaluate.js";
import { percentile } from "../../src/agents/performance/sample.js";
import { invokeConfig } from "../../src/agents/runtime/invoke-config.js";
import { loadConfig } from "../../src/config/index.js";
import { PERF_METRICS } from "../../src/storage/index.js";
import { SqlitePerfStore } from "../../src/storage/sqlite/perf.js";
import { captureLogger } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("PerformanceMonitorAgent graph", () => {
  it("records samples every cycle and warns once a threshold has been crossed for PERF_ALERT_FOR", async () => {
    const clock = new ManualClock(T0);
    const store = await openTestStore({ clock });
    const { logger, entries } = captureLogger("PerformanceMonitorAgent");
    // RSS limit 1 MB: every agent with an RSS crosses it; it must hold 60 s (2 cycles) to warn
    const config = loadConfig({ HEARTBEAT_INTERVAL: "30", STALE_THRESHOLD: "120", PERF_RSS_MB: "1", PERF_ALERT_FOR: "60", PERF_STARTUP_GRACE: "0", DATABASE_PATH: store.path });
    const ctx = createAgentContext({ agentName: "PerformanceMonitorAgent", config, store, clock, logger, sessionId: "s1", version: "test" });
    await store.updateHeartbeat("worker", { pid: 1, rssBytes: 50e6, cpuPercent: 0.1, writeLatencyMs: 2 });
    const graph = buildGraph(await store.createCheckpointer());
    const cfg = invokeConfig({ ctx, threadId: "agent:PerformanceMonitorAgent" });
    const about = () => entries.filter((e) => /agent.rss_bytes of worker/.test(e.message));
    await clock.drive(graph.invoke({ maxCycles: 2, sessionId: "s1" }, cfg as never));
    expect(about()).toEqual([]); // crossed for 30 s only: pending, no warning yet
    await clock.drive(graph.invoke({ maxCycles: 2, sessionId: "s1" }, cfg as never));

    expect((await store.getAgent("PerformanceMonitorAgent"))?.state).toBe("active");
    const rss = await store.perf.recent({ metric: PERF_METRICS.agentRss, agent: "worker" });
    expect(rss).toHaveLength(4);
    expect(rss.map((p) => p.at)).toEqual([T0, T0 + 30_000, T0 + 60_000, T0 + 90_000]);
    const latest = (await store.perf.latest())!;
    expect(latest.at).toBe(T0 + 90_000);
    expect(latest.samples.map((s) => s.metric)).toEqual(expect.arrayContaining(Object.values(PERF_METRICS).filter((m) => m !== PERF_METRICS.agentActivation)));

    const warnings = about().filter((e) => e.level === "warn");
    expect(warnings).toHaveLength(1); // 4 cycles above the limit, one warning, once it held 60 s
    expect(warnings[0]!.message).toMatch(/threshold crossed: agent.rss_bytes of worker = 50000000 \(limit 1048576, for 60s\)/);

    // under 80% of the limit for 60 s: one "back to normal"; then above again for 60 s: a new warning
    await store.updateHeartbeat("worker", { rssBytes: 1000 });
    await clock.drive(graph.invoke({ maxCycles: 3, sessionId: "s1" }, cfg as never));
    await store.updateHeartbeat("worker", { rssBytes: 50e6 });
    await clock.drive(graph.invoke({ maxCycles: 3, sessionId: "s1" }, cfg as never));
    expect(about().map((e) => e.level)).toEqual(["warn", "info", "warn"]);
  });

  it("issue 11: HEARTBEAT_INTERVAL=0.5 with a busy agent's CPU jumping around the limit gives no stream of warnings and back-to-normals", async () => {
    const clock = new ManualClock(T0);
    const store = await openTestStore({ clock });
    const { logger, entries } = captureLogger("PerformanceMonitorAgent");
    // the old 1% limit, the interval; everything else default (PERF_ALERT_FOR 300 s, grace 60 s)
    const config = loadConfig({ HEARTBEAT_INTERVAL: "0.5", STALE_THRESHOLD: "2", PERF_CPU_PERCENT: "1", DATABASE_PATH: store.path });
    const ctx = createAgentContext({ agentName: "PerformanceMonitorAgent", config, store, clock, logger, sessionId: "s1", version: "test" });
    const graph = buildGraph(await store.createCheckpointer());
    const cfg = invokeConfig({ ctx, threadId: "agent:PerformanceMonitorAgent" });
    // 35 s: start-up CPU (83%) for 2 s, then a worker whose CPU alternates 1.5% / 0.5% every cycle
    for (let i = 0; i < 70; i++) {
      await store.updateHeartbeat("SystemInitializer", { pid: 2, cpuPercent: i < 4 ? 83.011 : i % 2 ? 1.5 : 0.5 });
      await clock.drive(graph.invoke({ maxCycles: 1, sessionId: "s1" }, cfg as never));
    }
    const lines = entries.filter((e) => /agent.cpu_percent/.test(e.message));
    expect(lines).toEqual([]); // old code: 35 warnings and 34 back-to-normals
    expect((await store.perf.recent({ metric: PERF_METRICS.agentCpu, agent: "SystemInitializer", limit: 1000 })).length).toBeGreaterThanOrEqual(60);
  });
});

describe("threshold alerts (for, hysteresis, start-up grace)", () => {
  const t = { dbResponseMs: 100, cpuPercent: 80, rssBytes: 1000 };
  const rules = { forMs: 300_000, startupGraceMs: 60_000 };
  const cpu = (v: number) => [{ metric: PERF_METRICS.agentCpu, agent: "busy", value: v }];

  /** Runs `values` one per `stepMs` from T0 through evaluateSamples; returns the log it would write. */
  function run(values: number[], o: { stepMs?: number; startedAt?: number; rules?: typeof rules } = {}) {
    let alerts: Alerts = {};
    const log: string[] = [];
    values.forEach((v, i) => {
      const now = T0 + i * (o.stepMs ?? 10_000);
      const r = evaluateSamples({ samples: cpu(v), thresholds: t, rules: o.rules ?? rules, alerts, now, startedAt: () => o.startedAt ?? T0 - HOUR });
      alerts = r.alerts;
      for (const x of r.fired) log.push(`fired@${(now - T0) / 1000}`);
      for (const x of r.resolved) log.push(`resolved@${(now - T0) / 1000}`);
    });
    return { log, alerts };
  }

  it("fires only after the condition held for PERF_ALERT_FOR; a spike or a short burst gives nothing", () => {
    expect(run([95, 10, 10]).log).toEqual([]);
    expect(run(Array(29).fill(95)).log).toEqual([]); // 280 s above: still pending
    expect(run(Array(31).fill(95)).log).toEqual(["fired@300"]);
  });

  it("a value hovering at the limit gives one warning and one recovery, not a stream", () => {
    // 10 minutes alternating 85 / 75 (above the limit, then under it but above the 64 clear level), then quiet for 10 minutes
    const hover = Array.from({ length: 60 }, (_, i) => (i % 2 ? 75 : 85));
    const { log, alerts } = run([...hover, ...Array(60).fill(20)]);
    expect(log).toEqual(["fired@300", "resolved@900"]);
    expect(alerts).toEqual({});
  });

  it("a firing alert that dips under the clear level and comes back is still the same alert", () => {
    const values = [...Array(31).fill(95), 10, 10, 95, ...Array(10).fill(95)];
    expect(run(values).log).toEqual(["fired@300"]);
  });

  it("nothing starts during an agent's start-up grace, and a restart drops a pending alert", () => {
    // started at T0: 60 s of 100% CPU, then normal: no alert at all
    expect(run([...Array(6).fill(100), ...Array(40).fill(5)], { startedAt: T0 }).log).toEqual([]);
    // sustained after the grace: it fires PERF_ALERT_FOR after the grace ended
    expect(run(Array(40).fill(100), { startedAt: T0 }).log).toEqual(["fired@360"]);
  });

  it("PERF_ALERT_FOR=0 fires and resolves at once (with the 80% hysteresis)", () => {
    expect(run([95, 95, 79, 70, 50, 95], { rules: { forMs: 0, startupGraceMs: 0 } }).log).toEqual(["fired@0", "resolved@40", "fired@50"]);
  });

  it("percentile picks the nearest rank", () => {
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBe(5);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(percentile([], 95)).toBe(0);
  });
});

describe("perf retention", () => {
  it("keeps raw samples for a day and hourly roll-ups after, so the tables stay bounded", async () => {
    const clock = new ManualClock(T0);
    const store = await openTestStore({ clock });
    const perf = new SqlitePerfStore(store, { rawRetentionMs: 24 * HOUR, rollupRetentionMs: 30 * HOUR });
    const metrics = 12;
    const step = 60_000; // one sample set a minute: 1,440 a day
    let peakSamples = 0;
    let peakRollups = 0;
    for (let at = T0; at < T0 + 36 * HOUR; at += step) {
      await perf.record(at, Array.from({ length: metrics }, (_, i) => ({ metric: `m${i}`, agent: i % 2 ? "a" : "", value: (at / step) % 100 })));
      await perf.prune(at);
      const c = await perf.counts();
      peakSamples = Math.max(peakSamples, c.samples);
      peakRollups = Math.max(peakRollups, c.rollups);
    }
    // raw: at most a day plus the current hour; roll-ups: the hours between the raw and roll-up retention, + 1 per metric
    expect(peakSamples).toBeLessThanOrEqual((24 + 1) * 60 * metrics);
    expect(peakRollups).toBeLessThanOrEqual((30 - 24 + 2) * metrics);
    const now = T0 + 36 * HOUR - step;
    const raw = await perf.recent({ metric: "m0", agent: "", limit: 100_000 });
    expect(raw[0]!.at).toBeGreaterThanOrEqual(now - 25 * HOUR);
    const rolled = await perf.rollups({ metric: "m0", agent: "" });
    expect(rolled.length).toBeGreaterThan(0);
    expect(rolled.every((r) => r.n === 60 && r.min <= r.avg && r.avg <= r.max)).toBe(true);
  }, 120_000);
});

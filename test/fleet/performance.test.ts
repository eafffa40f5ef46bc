/**
 * PerformanceMonitorAgent on a real SQLite file with an injected clock: samples land in the DB,
 * a crossed threshold logs one warning (not one per cycle) and one "back to normal", and
 * retention keeps the tables bounded over a simulated day and a half of samples.
 */
import { afterEach, describe, expect, it } from "vitest";
import { buildGraph } from "../../graphs/performance-monitor.js";
import { createAgentContext } from "../../src/agents/context.js";
import { evaluateSamples } from "../../src/agents/performance/evaluate.js";
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
  it("records samples every cycle and warns once per threshold crossing", async () => {
    const clock = new ManualClock(T0);
    const store = await openTestStore({ clock });
    const { logger, entries } = captureLogger("PerformanceMonitorAgent");
    // RSS limit 1 MB: every agent with an RSS crosses it
    const config = loadConfig({ HEARTBEAT_INTERVAL: "30", STALE_THRESHOLD: "120", PERF_RSS_MB: "1", DATABASE_PATH: store.path });
    const ctx = createAgentContext({ agentName: "PerformanceMonitorAgent", config, store, clock, logger, sessionId: "s1", version: "test" });
    await store.updateHeartbeat("worker", { pid: 1, rssBytes: 50e6, cpuPercent: 0.1, writeLatencyMs: 2 });
    const graph = buildGraph(store.createCheckpointer());
    const cfg = invokeConfig({ ctx, threadId: "agent:PerformanceMonitorAgent" });
    await clock.drive(graph.invoke({ maxCycles: 4, sessionId: "s1" }, cfg as never));

    expect((await store.getAgent("PerformanceMonitorAgent"))?.state).toBe("active");
    const rss = await store.perf.recent({ metric: PERF_METRICS.agentRss, agent: "worker" });
    expect(rss).toHaveLength(4);
    expect(rss.map((p) => p.at)).toEqual([T0, T0 + 30_000, T0 + 60_000, T0 + 90_000]);
    const latest = (await store.perf.latest())!;
    expect(latest.at).toBe(T0 + 90_000);
    expect(latest.samples.map((s) => s.metric)).toEqual(expect.arrayContaining(Object.values(PERF_METRICS).filter((m) => m !== PERF_METRICS.agentActivation)));

    const warnings = entries.filter((e) => e.level === "warn" && /threshold crossed: agent.rss_bytes of worker/.test(e.message));
    expect(warnings).toHaveLength(1); // 4 cycles above the limit, one warning

    // back under 80% of the limit: one "back to normal"; then above again: a new warning
    await store.updateHeartbeat("worker", { rssBytes: 1000 });
    await clock.drive(graph.invoke({ maxCycles: 2, sessionId: "s1" }, cfg as never));
    await store.updateHeartbeat("worker", { rssBytes: 50e6 });
    await clock.drive(graph.invoke({ maxCycles: 2, sessionId: "s1" }, cfg as never));
    const about = entries.filter((e) => /agent.rss_bytes of worker/.test(e.message)).map((e) => e.level);
    expect(about).toEqual(["warn", "info", "warn"]);
  });
});

describe("threshold evaluation", () => {
  const t = { dbResponseMs: 100, cpuPercent: 1, rssBytes: 1000 };
  it("warns on crossing, stays quiet above the limit, clears below 80% of it (hysteresis)", () => {
    const s = (v: number) => [{ metric: PERF_METRICS.dbProbeP95, value: v }];
    let r = evaluateSamples(s(150), t, []);
    expect(r.crossed).toHaveLength(1);
    r = evaluateSamples(s(150), t, r.breached);
    expect(r.crossed).toHaveLength(0);
    r = evaluateSamples(s(90), t, r.breached); // under the limit but above 80%: still breached
    expect(r.cleared).toHaveLength(0);
    expect(r.breached).toEqual(["db.probe_p95_ms|"]);
    r = evaluateSamples(s(70), t, r.breached);
    expect(r.cleared).toHaveLength(1);
    expect(r.breached).toEqual([]);
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

import { describe, expect, it } from "vitest";
import { PERF_METRICS } from "../../src/storage/index.js";
import { degradingLimits, readDegrading, rssDegrading, signalDegrading } from "../../src/views/degrading.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

const MB = 1024 * 1024;
const MIN = 60_000;
const T = 1_700_000_000_000;

/** 30 samples a minute apart ending at T, value(i). */
const series = (value: (i: number) => number) => Array.from({ length: 30 }, (_, i) => ({ at: T - (29 - i) * MIN, value: value(i) }));

describe("rssDegrading", () => {
  it("a steady leak of 10 MB/min from 100 MB is degrading, reaching 512 MB in about 12 min", () => {
    const v = rssDegrading(series((i) => (100 + 10 * i) * MB), 512 * MB, T);
    expect(v).not.toBeNull();
    // at T the line is at 390 MB: (512 - 390) / 10 = 12.2 min
    expect(v!.timeToLimitMs / MIN).toBeCloseTo(12.2, 0);
    expect(v!.text).toMatch(/^degrading: RSS will reach the limit in about 12 min/);
  });

  it("flat RSS with noise, a GC sawtooth and a single step are not degrading", () => {
    expect(rssDegrading(series((i) => (200 + ((i * 7) % 5)) * MB), 512 * MB, T)).toBeNull();
    expect(rssDegrading(series((i) => (200 + (i % 5) * 20) * MB), 512 * MB, T)).toBeNull();
    expect(rssDegrading(series((i) => (i < 15 ? 200 : 300) * MB), 512 * MB, T)).toBeNull();
  });
});

describe("signalDegrading and its limits", () => {
  it("event-loop lag growing towards the agent's stale bound, and the error rate towards one error per cycle", () => {
    const lag = signalDegrading("eventLoopLag", series((i) => 10 + 20 * i), 2500, T); // 20 ms/min, at 590 ms
    expect(lag).toMatchObject({ signal: "eventLoopLag", limit: 2500 });
    expect(lag!.timeToLimitMs / MIN).toBeCloseTo((2500 - 590) / 20, 0);
    expect(lag!.text).toMatch(/^degrading: event-loop lag will reach the limit in about 1\.6 h/);
    const errors = signalDegrading("errorRate", series((i) => 0.5 * i), 60, T);
    expect(errors!.text).toMatch(/^degrading: error rate will reach the limit in about/);
    expect(signalDegrading("errorRate", series(() => 0), 60, T)).toBeNull();
  });

  it("heartbeat gaps widening towards STALE_THRESHOLD; a steady rhythm with jitter is not degrading", () => {
    const gaps = signalDegrading("heartbeatGap", series((i) => 1000 + 100 * i), 6000, T); // +100 ms/min, at 3900 ms
    expect(gaps).toMatchObject({ signal: "heartbeatGap", limit: 6000 });
    expect(gaps!.timeToLimitMs / MIN).toBeCloseTo((6000 - 3900) / 100, 0);
    expect(gaps!.text).toMatch(/^degrading: heartbeat gap will reach the limit in about 21 min/);
    expect(signalDegrading("heartbeatGap", series((i) => 1000 + ((i * 37) % 200)), 6000, T)).toBeNull();
  });

  it("limits: PERF_RSS_MB, the stale bound capped by STALE_THRESHOLD, 60 / HEARTBEAT_INTERVAL errors a minute", () => {
    const c = { perfRssMb: 512, heartbeatIntervalMs: 30_000, staleThresholdMs: 120_000 };
    expect(degradingLimits(c, 4_000)).toEqual({ rss: 512 * MB, eventLoopLag: 4_000, heartbeatGap: 120_000, errorRate: 2 });
    expect(degradingLimits(c).eventLoopLag).toBe(120_000);
  });
});

describe("readDegrading", () => {
  it("looks only at the current run: a leak before a restart is not the new run's trend", async () => {
    const store = await openTestStore();
    const leak = series((i) => (100 + 10 * i) * MB);
    for (const p of leak) await store.perf.record(p.at, [{ metric: PERF_METRICS.agentRss, agent: "w", value: p.value }]);
    const limits = degradingLimits({ perfRssMb: 512, heartbeatIntervalMs: 30_000, staleThresholdMs: 120_000 });
    expect(await readDegrading(store.perf, "w", 0, limits, T)).toMatchObject({ signal: "rss" });
    expect(await readDegrading(store.perf, "w", T - 5 * MIN, limits, T)).toBeNull(); // 6 samples since the restart: too few
    expect(await readDegrading(store.perf, "other", 0, limits, T)).toBeNull();
    await closeStores();
    removeTempDirs();
  });
});

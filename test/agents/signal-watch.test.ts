/**
 * The monitor's anomaly watch on stored samples (real SQLite store, times passed in): a single spike
 * is no anomaly, a lasting one starts once and ends once, a sample set is observed once, and a new
 * monitor (a fresh read of the store) neither repeats a start nor forgets an open anomaly.
 */
import { afterEach, describe, expect, it } from "vitest";
import { observeSampleSet, restoreSignals, samplesByAgent, watchSignals } from "../../src/agents/heartbeat/signal-watch.js";
import { PERF_METRICS as M, type PerfSample } from "../../src/storage/index.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

const MB = 1024 * 1024;
const T0 = 1_700_000_000_000;
const beat = (agent: string, rss: number, lag = 2): PerfSample[] => [
  { metric: M.agentRss, agent, value: rss }, { metric: M.agentLoopLag, agent, value: lag }, { metric: M.agentCpu, agent, value: 1 },
];

describe("observeSampleSet", () => {
  it("turns the stored metrics into signals and skips sample sets an agent's record already saw", () => {
    const samples = samplesByAgent([
      { at: T0, metric: M.agentRss, agent: "a", value: 5 }, { at: T0, metric: M.agentErrorsPerMin, agent: "a", value: 1 },
      { at: T0, metric: M.agentsLive, agent: "", value: 3 },
    ]);
    expect([...samples]).toEqual([["a", { rssBytes: 5, errorsPerMin: 1 }]]);
    const first = observeSampleSet(T0, samples, []);
    expect(first.records.map((r) => [r.agent, r.sampledAt])).toEqual([["a", T0]]);
    expect(observeSampleSet(T0, samples, first.records).records).toEqual([]);
    expect(observeSampleSet(T0 + 1, samples, first.records).records).toHaveLength(1);
  });

  it("restores only well-formed detector state", () => {
    expect(restoreSignals({ rssBytes: { n: 3, center: 1, scale: 0.1, run: 0, anomalous: false }, cpuPercent: { n: "x" }, bogus: 1 }))
      .toEqual({ rssBytes: { n: 3, center: 1, scale: 0.1, run: 0, anomalous: false } });
    expect(restoreSignals(undefined)).toEqual({});
  });
});

describe("watchSignals", () => {
  it("a spike is no anomaly; a lasting rise starts once, survives a new monitor, and ends once", async () => {
    const store = await openTestStore();
    let t = T0;
    const step = async (rss: number, lag = 2) => {
      t += 1000;
      await store.perf.record(t, [...beat("leaky", rss, lag), ...beat("steady", 80 * MB)]);
      return watchSignals({ store });
    };
    for (let i = 0; i < 12; i++) expect(await step((80 + (i % 3)) * MB)).toEqual([]); // warm-up: learns
    expect(await step(300 * MB)).toEqual([]); // one spike
    expect(await step(81 * MB)).toEqual([]);
    expect(await step(300 * MB, 2)).toEqual([]);
    expect(await step(300 * MB, 2)).toEqual([]); // two outs in a row: not yet
    const started = await step(300 * MB, 2);
    expect(started).toEqual([expect.objectContaining({ agent: "leaky", signal: "rssBytes", kind: "started", at: t, value: 300 * MB, text: expect.stringMatching(/^RSS 300 MB, usually 8\d MB$/) })]);
    expect(await watchSignals({ store })).toEqual([]); // the same sample set again (a re-run node)
    expect(await step(300 * MB)).toEqual([]); // still anomalous: not said again
    const [open] = await store.signals.withOpenAnomalies();
    expect(open).toMatchObject({ agent: "leaky", open: { rssBytes: { since: started[0]!.at, value: 300 * MB } } });

    // a new monitor process: a fresh store on the same file, nothing in memory
    const again = await openTestStore({ path: store.path });
    t += 1000;
    await again.perf.record(t, beat("leaky", 300 * MB));
    expect(await watchSignals({ store: again })).toEqual([]);

    t += 1000;
    await again.perf.record(t, beat("leaky", 80 * MB));
    const ended = await watchSignals({ store: again });
    expect(ended).toEqual([expect.objectContaining({ agent: "leaky", signal: "rssBytes", kind: "ended", text: expect.stringContaining("back to normal") })]);
    expect(await again.signals.withOpenAnomalies()).toEqual([]);
    expect((await again.signals.events({ agent: "leaky" })).map((e) => e.kind)).toEqual(["started", "ended"]);
    expect(await again.signals.events({ agent: "steady" })).toEqual([]);
  });

  it("writes nothing without a sample set", async () => {
    const store = await openTestStore();
    expect(await watchSignals({ store })).toEqual([]);
    expect(await store.signals.read(["x"])).toEqual([]);
  });
});

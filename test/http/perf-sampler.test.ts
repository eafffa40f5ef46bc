/**
 * The dashboard's perf sampler reads the tracked agents a page at a time (one read of 2,000 held
 * the event loop ~12 ms at 100k agents): every tracked agent gets its point, none past the limit,
 * and the fleet totals count every agent.
 */
import { afterEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock/index.js";
import { PerfSampler } from "../../src/http/perf-sampler.js";
import { createLogger } from "../../src/logging/index.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("PerfSampler", () => {
  it("tracks the first maxTrackedAgents agents by name, read in pages, and totals all of them", async () => {
    const store = await openTestStore();
    const names = Array.from({ length: 700 }, (_, i) => `agent-${String(i).padStart(4, "0")}`);
    await store.updateHeartbeats(names.map((name, i) => ({ name, info: { rssBytes: 1000 + i } })));
    const sampler = new PerfSampler({ store, clock: systemClock, logger: createLogger({ agentName: "test", level: "error", console: false }), intervalMs: 60_000, maxTrackedAgents: 520 });
    const sample = await sampler.sampleNow();
    expect(sample).toMatchObject({ agents: 700, rssBytes: names.reduce((n, _, i) => n + 1000 + i, 0) });
    const tracked = names.filter((n) => sampler.agentSamples(n).length === 1);
    expect(tracked).toEqual(names.slice(0, 520));
    expect(sampler.agentSamples(names[0]!)[0]![3]).toBe(1000);
    expect(sampler.agentSamples(names[519]!)[0]![3]).toBe(1519);
  });
});

/**
 * SQLite's resourceTotals sums the agents by ranges of rowids (one scan of 100k held the event loop
 * ~28 ms): several ranges, holes left by removed agents, and stopped agents' figures left out.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("SQLite resourceTotals over many rowid ranges", () => {
  it("counts every agent and sums the live ones' figures across ranges and holes", async () => {
    const store = await openTestStore();
    const n = 20_000;
    const names = Array.from({ length: n }, (_, i) => `a${i}`);
    await store.updateHeartbeats(names.map((name, i) => ({ name, info: { rssBytes: i, cpuPercent: 0.5 } })));
    await store.fleet.removeAgents(names.slice(5000, 9000));
    for (const name of names.slice(15_000, 15_010)) await store.updateAgentState(name, "stopped");
    const kept = names.map((_, i) => i).filter((i) => i < 5000 || i >= 9000);
    const live = kept.filter((i) => i < 15_000 || i >= 15_010);
    const totals = await store.resourceTotals();
    expect(totals.agents).toBe(kept.length);
    expect(totals.rssBytes).toBe(live.reduce((s, i) => s + i, 0));
    expect(totals.cpuPercent).toBeCloseTo(live.length * 0.5, 6);
  });
});

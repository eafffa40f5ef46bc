/** SqliteTraceStore: summaries stored once by run id, pending runs updated, cursor per project, per-agent stats, pruning. */
import { afterEach, describe, expect, it } from "vitest";
import { type RunSummary } from "../../src/storage/index.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

const run = (id: string, over: Partial<RunSummary> = {}): RunSummary => ({
  runId: id, traceId: id, project: "p", agent: "A", name: "A.cycle", status: "success",
  startedAt: 1000, endedAt: 1100, latencyMs: 100, error: null, link: `http://ls/r/${id}`, ...over,
});

describe("SqliteTraceStore", () => {
  it("stores a run once however often it is read, and moves the cursor in the same write", async () => {
    const store = await openTestStore();
    expect(await store.traces.getCursor("p")).toBeUndefined();
    expect(await store.traces.saveRuns("p", [run("r1"), run("r2", { startedAt: 2000 })], 2000)).toEqual({ inserted: 2, updated: 0 });
    expect(await store.traces.saveRuns("p", [run("r2", { startedAt: 2000 })], 2000)).toEqual({ inserted: 0, updated: 0 });
    expect(await store.traces.countRuns()).toBe(2);
    expect(await store.traces.getCursor("p")).toBe(2000);
    expect(await store.traces.getCursor("other")).toBeUndefined();
  });

  it("updates a pending run when it has finished", async () => {
    const store = await openTestStore();
    await store.traces.saveRuns("p", [run("r1", { status: "pending", endedAt: null, latencyMs: null })]);
    const r = await store.traces.saveRuns("p", [run("r1", { status: "error", endedAt: 1500, latencyMs: 500, error: "boom" })]);
    expect(r).toEqual({ inserted: 0, updated: 1 });
    const [stored] = await store.traces.queryRuns();
    expect(stored).toMatchObject({ runId: "r1", status: "error", latencyMs: 500, error: "boom", link: "http://ls/r/r1" });
  });

  it("lists newest first, filtered by agent, status and start", async () => {
    const store = await openTestStore();
    await store.traces.saveRuns("p", [run("a1", { startedAt: 1 }), run("a2", { startedAt: 3, status: "error" }), run("b1", { agent: "B", startedAt: 2 })]);
    expect((await store.traces.queryRuns()).map((r) => r.runId)).toEqual(["a2", "b1", "a1"]);
    expect((await store.traces.queryRuns({ agent: "A" })).map((r) => r.runId)).toEqual(["a2", "a1"]);
    expect((await store.traces.queryRuns({ status: "error" })).map((r) => r.runId)).toEqual(["a2"]);
    expect((await store.traces.queryRuns({ since: 2, limit: 1 })).map((r) => r.runId)).toEqual(["a2"]);
    await expect(store.traces.queryRuns({ status: "nope" as never })).rejects.toThrow(/Unknown run status "nope"/);
  });

  it("refuses a summary without id or with a bad status, and stores nothing of that batch", async () => {
    const store = await openTestStore();
    await expect(store.traces.saveRuns("p", [run("ok"), run("", {})], 5)).rejects.toThrow(/needs a run id/);
    await expect(store.traces.saveRuns("p", [run("x", { status: "weird" as never })])).rejects.toThrow(/status/);
    expect(await store.traces.countRuns()).toBe(0);
    expect(await store.traces.getCursor("p")).toBeUndefined();
  });

  it("keeps per-agent error rate and latency over the window, ignoring pending runs", async () => {
    const clock = new ManualClock(100_000);
    const store = await openTestStore({ clock });
    await store.traces.saveRuns("p", [
      run("a1", { startedAt: 95_000, latencyMs: 100 }),
      run("a2", { startedAt: 96_000, latencyMs: 300, status: "error", error: "x" }),
      run("a3", { startedAt: 97_000, latencyMs: 200 }),
      run("a4", { startedAt: 98_000, status: "pending", endedAt: null, latencyMs: null }),
      run("old", { startedAt: 10_000, latencyMs: 9999, status: "error" }),
      run("b1", { agent: "B", startedAt: 99_000, latencyMs: 50 }),
    ]);
    const stats = await store.traces.refreshStats(60_000);
    expect(stats.find((s) => s.agent === "A")).toEqual({
      agent: "A", runs: 3, errors: 1, errorRate: 1 / 3, avgLatencyMs: 200, p95LatencyMs: 300, lastRunAt: 97_000, windowMs: 60_000, updatedAt: 100_000,
    });
    expect(await store.traces.getStats()).toEqual(stats);
    expect((await store.traces.getStats()).map((s) => s.agent)).toEqual(["A", "B"]);
  });

  it("prunes summaries older than the retention", async () => {
    const store = await openTestStore();
    await store.traces.saveRuns("p", [run("old", { startedAt: 10 }), run("new", { startedAt: 1000 })]);
    expect(await store.traces.pruneRuns(500)).toBe(1);
    expect((await store.traces.queryRuns()).map((r) => r.runId)).toEqual(["new"]);
  });
});

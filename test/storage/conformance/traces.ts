/** TraceStore: summaries stored once by run id, pending runs updated, cursor per project, per-agent stats, pruning. */
import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../../src/storage/index.js";
import type { Open } from "./harness.js";

const run = (id: string, over: Partial<RunSummary> = {}): RunSummary => ({
  runId: id, traceId: id, project: "p", agent: "A", name: "A.cycle", status: "success",
  startedAt: 1000, endedAt: 1100, latencyMs: 100, error: null, link: `http://ls/r/${id}`, ...over,
});

export function traceSuite(open: Open): void {
  describe("trace sub-store", () => {
    it("stores a run once however often it is read, and moves the cursor in the same write", async () => {
      const { store } = await open();
      expect(await store.traces.getCursor("p")).toBeUndefined();
      expect(await store.traces.saveRuns("p", [run("r1"), run("r2", { startedAt: 2000 })], 2000)).toEqual({ inserted: 2, updated: 0 });
      expect(await store.traces.saveRuns("p", [run("r2", { startedAt: 2000 })], 2000)).toEqual({ inserted: 0, updated: 0 });
      expect(await store.traces.countRuns()).toBe(2);
      expect(await store.traces.countRuns("A")).toBe(2);
      expect(await store.traces.countRuns("nobody")).toBe(0);
      expect(await store.traces.getCursor("p")).toBe(2000);
      expect(await store.traces.getCursor("other")).toBeUndefined();
      await store.traces.saveRuns("p", [], 3000);
      expect(await store.traces.getCursor("p")).toBe(3000);
    });

    it("round-trips every field of a summary", async () => {
      const { store } = await open();
      const full = run("full", { traceId: "t-1", project: "proj", agent: "B", name: "B.step", status: "error", startedAt: 5, endedAt: 17, latencyMs: 12, error: "it broke", link: null });
      const pending = run("pend", { traceId: null, status: "pending", endedAt: null, latencyMs: null });
      await store.traces.saveRuns("proj", [full, pending]);
      const got = await store.traces.queryRuns();
      expect(got.find((r) => r.runId === "full")).toEqual(full);
      expect(got.find((r) => r.runId === "pend")).toEqual(pending);
    });

    it("updates a pending run when it has finished", async () => {
      const { store } = await open();
      await store.traces.saveRuns("p", [run("r1", { status: "pending", endedAt: null, latencyMs: null })]);
      const r = await store.traces.saveRuns("p", [run("r1", { status: "error", endedAt: 1500, latencyMs: 500, error: "boom" })]);
      expect(r).toEqual({ inserted: 0, updated: 1 });
      const [stored] = await store.traces.queryRuns();
      expect(stored).toMatchObject({ runId: "r1", status: "error", latencyMs: 500, error: "boom", link: "http://ls/r/r1" });
    });

    it("lists newest first, filtered by agent, status and start", async () => {
      const { store } = await open();
      await store.traces.saveRuns("p", [run("a1", { startedAt: 1 }), run("a2", { startedAt: 3, status: "error" }), run("b1", { agent: "B", startedAt: 2 })]);
      expect((await store.traces.queryRuns()).map((r) => r.runId)).toEqual(["a2", "b1", "a1"]);
      expect((await store.traces.queryRuns({ agent: "A" })).map((r) => r.runId)).toEqual(["a2", "a1"]);
      expect((await store.traces.queryRuns({ status: "error" })).map((r) => r.runId)).toEqual(["a2"]);
      expect((await store.traces.queryRuns({ since: 2, limit: 1 })).map((r) => r.runId)).toEqual(["a2"]);
      await expect(store.traces.queryRuns({ status: "nope" as never })).rejects.toThrow(/Unknown run status "nope"/);
    });

    it("refuses a summary without id or with a bad status, and stores nothing of that batch", async () => {
      const { store } = await open();
      await expect(store.traces.saveRuns("p", [run("ok"), run("", {})], 5)).rejects.toThrow(/needs a run id/);
      await expect(store.traces.saveRuns("p", [run("x", { status: "weird" as never })])).rejects.toThrow(/status/);
      expect(await store.traces.countRuns()).toBe(0);
      expect(await store.traces.getCursor("p")).toBeUndefined();
    });

    it("keeps per-agent error rate and latency over the window, ignoring pending runs", async () => {
      const { store, t0 } = await open();
      expect(await store.traces.getStats()).toEqual([]);
      await store.traces.saveRuns("p", [
        run("a1", { startedAt: t0 - 5_000, latencyMs: 100 }),
        run("a2", { startedAt: t0 - 4_000, latencyMs: 300, status: "error", error: "x" }),
        run("a3", { startedAt: t0 - 3_000, latencyMs: 200 }),
        run("a4", { startedAt: t0 - 2_000, status: "pending", endedAt: null, latencyMs: null }),
        run("old", { startedAt: t0 - 90_000, latencyMs: 9999, status: "error" }),
        run("b1", { agent: "B", startedAt: t0 - 1_000, latencyMs: 50 }),
      ]);
      const stats = await store.traces.refreshStats(60_000);
      expect(stats.find((s) => s.agent === "A")).toEqual({
        agent: "A", runs: 3, errors: 1, errorRate: 1 / 3, avgLatencyMs: 200, p95LatencyMs: 300, lastRunAt: t0 - 3_000, windowMs: 60_000, updatedAt: t0,
      });
      expect(await store.traces.getStats()).toEqual(stats);
      expect((await store.traces.getStats()).map((s) => s.agent)).toEqual(["A", "B"]);
    });

    it("prunes summaries older than the retention", async () => {
      const { store } = await open();
      await store.traces.saveRuns("p", [run("old", { startedAt: 10 }), run("new", { startedAt: 1000 })]);
      expect(await store.traces.pruneRuns(500)).toBe(1);
      expect((await store.traces.queryRuns()).map((r) => r.runId)).toEqual(["new"]);
      expect(await store.traces.pruneRuns(500)).toBe(0);
    });
  });
}

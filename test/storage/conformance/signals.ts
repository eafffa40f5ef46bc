/** Signals: per-agent detector records with their open anomalies, the anomaly feed, and removal with the agent. */
import { describe, expect, it } from "vitest";
import type { AgentSignalsRecord } from "../../../src/storage/index.js";
import type { Open } from "./harness.js";

const rec = (agent: string, sampledAt: number, open: AgentSignalsRecord["open"] = {}): AgentSignalsRecord =>
  ({ agent, sampledAt, state: { rssBytes: { n: 12, center: 1.5, scale: 0.25, run: 0, anomalous: false } }, open });

export function signalSuite(open: Open): void {
  describe("signals", () => {
    it("keeps one record per agent, replaced by the next save, and lists those with open anomalies", async () => {
      const { store, t0 } = await open();
      const s = store.signals;
      expect(await s.read(["a"])).toEqual([]);
      expect(await s.save([rec("a", t0), rec("b", t0)], [])).toBe(true);
      const lag = { since: t0 + 1000, value: 250, baseline: 3, text: "event-loop lag 250 ms, usually 3 ms" };
      await s.save([rec("a", t0 + 1000, { eventLoopLagMs: lag })], []);
      const got = (await s.read(["a", "b", "c"])).sort((x, y) => x.agent.localeCompare(y.agent));
      expect(got).toEqual([rec("a", t0 + 1000, { eventLoopLagMs: lag }), rec("b", t0)]);
      expect((await s.withOpenAnomalies()).map((r) => r.agent)).toEqual(["a"]);
      await s.save([rec("a", t0 + 2000)], []);
      expect(await s.withOpenAnomalies()).toEqual([]);
    });

    it("appends events with growing ids, read after a cursor and per agent; prune drops old ones", async () => {
      const { store, t0 } = await open();
      const s = store.signals;
      const ev = (agent: string, at: number, kind: "started" | "ended") => ({ at, agent, signal: "rssBytes", kind, value: 9e7, baseline: 4e7, text: "RSS 86 MB, usually 38 MB" });
      await s.save([rec("a", t0)], [ev("a", t0, "started"), ev("b", t0, "started")]);
      await s.save([], [ev("a", t0 + 5000, "ended")]);
      const all = await s.events();
      expect(all.map((e) => [e.agent, e.kind, e.at - t0])).toEqual([["a", "started", 0], ["b", "started", 0], ["a", "ended", 5000]]);
      expect(all[0]).toMatchObject({ signal: "rssBytes", value: 9e7, baseline: 4e7, text: "RSS 86 MB, usually 38 MB" });
      expect(all[1]!.id).toBeGreaterThan(all[0]!.id);
      expect((await s.events({ afterId: all[0]!.id })).map((e) => e.id)).toEqual([all[1]!.id, all[2]!.id]);
      expect((await s.events({ agent: "a" })).map((e) => e.kind)).toEqual(["started", "ended"]);
      expect((await s.events({ limit: 1 })).length).toBe(1);
      expect(await s.prune(t0 + 1)).toBe(2);
      expect((await s.events()).map((e) => e.id)).toEqual([all[2]!.id]);
    });

    it("goes with the agent when it is cleaned up", async () => {
      const { store, clock, t0 } = await open();
      await store.registerAgent("gone");
      await store.updateAgentState("gone", "stopped", "test");
      await clock.advance(1000);
      await store.signals.save([rec("gone", t0, { cpuPercent: { since: t0, value: 90, baseline: 2, text: "CPU 90%, usually 2%" } })],
        [{ at: t0, agent: "gone", signal: "cpuPercent", kind: "started", value: 90, baseline: 2, text: "CPU 90%, usually 2%" }]);
      expect((await store.cleanupStale()).removed).toEqual(["gone"]);
      expect(await store.signals.read(["gone"])).toEqual([]);
      expect(await store.signals.events({ agent: "gone" })).toEqual([]);
    });
  });
}

/** MonitorStore: the stale sweep (find, then mark with the age re-checked) and the summary. */
import { describe, expect, it } from "vitest";
import { AGENT_STATES } from "../../../src/storage/index.js";
import type { Open } from "./harness.js";

const THRESHOLD = 120_000;

export function sweepSuite(open: Open): void {
  describe("stale detection", () => {
    it("an age equal to the threshold is not stale; one millisecond more is", async () => {
      const { store, clock, t0 } = await open();
      await store.updateHeartbeat("w");
      await clock.advance(THRESHOLD);
      expect(await store.findStaleAgents(THRESHOLD)).toEqual({ count: 0, sample: [] });
      expect(await store.markStaleAgents(THRESHOLD)).toEqual([]);
      await clock.advance(1);
      expect(await store.findStaleAgents(THRESHOLD)).toEqual({ count: 1, sample: [{ name: "w", lastHeartbeat: t0, ageMs: THRESHOLD + 1 }] });
      expect(await store.markStaleAgents(THRESHOLD)).toEqual([{ name: "w", lastHeartbeat: t0, ageMs: THRESHOLD + 1 }]);
      const a = await store.getAgent("w");
      expect(a).toMatchObject({ state: "stale", stateChangedAt: t0 + THRESHOLD + 1, stateReason: "no heartbeat for 120.0s (threshold 120s)", lastHeartbeat: t0 });
    });

    it("findStaleAgents only reads: nothing changes until markStaleAgents", async () => {
      const { store, clock } = await open();
      await store.updateHeartbeat("w");
      await clock.advance(THRESHOLD + 1);
      const token = await store.changeToken();
      expect((await store.findStaleAgents(THRESHOLD)).count).toBe(1);
      expect((await store.getAgent("w"))?.state).toBe("active");
      expect(await store.changeToken()).toBe(token);
    });

    it("marks each agent once: an agent already stale is not returned again, and has one transition", async () => {
      const { store, clock } = await open();
      await store.updateHeartbeat("w");
      await clock.advance(THRESHOLD + 1);
      expect(await store.markStaleAgents(THRESHOLD)).toHaveLength(1);
      await clock.advance(1000);
      expect(await store.markStaleAgents(THRESHOLD)).toEqual([]);
      expect(await store.findStaleAgents(THRESHOLD)).toEqual({ count: 0, sample: [] });
      expect(await store.getTransitions({ agent: "w", to: "stale" })).toHaveLength(1);
    });

    it("a heartbeat landing between check and update wins", async () => {
      const { store, clock } = await open();
      await store.updateHeartbeat("w");
      await clock.advance(THRESHOLD + 5);
      const found = await store.findStaleAgents(THRESHOLD);
      expect(found.count).toBe(1);
      await store.updateHeartbeat("w");
      expect(await store.markStaleAgents(THRESHOLD)).toEqual([]);
      expect((await store.getAgent("w"))?.state).toBe("active");
      expect(await store.getTransitions({ agent: "w", to: "stale" })).toEqual([]);
    });

    it("never marks failed or stopped agents stale, but does mark every live state", async () => {
      const { store, clock } = await open();
      for (const [name, state] of [["f", "failed"], ["s", "stopped"], ["i", "initializing"], ["e", "error"], ["r", "recovering"], ["a", "active"]] as const) {
        await store.registerAgent(name);
        if (state !== "initializing") await store.updateAgentState(name, state);
      }
      await clock.advance(THRESHOLD * 10);
      const found = await store.findStaleAgents(THRESHOLD);
      expect(found.count).toBe(4);
      expect(found.sample.map((s) => s.name).sort()).toEqual(["a", "e", "i", "r"]);
      const marked = await store.markStaleAgents(THRESHOLD);
      expect(marked.map((s) => s.name).sort()).toEqual(["a", "e", "i", "r"]);
      expect((await store.getAgent("f"))?.state).toBe("failed");
      expect((await store.getAgent("s"))?.state).toBe("stopped");
      for (const { name } of marked) {
        const [t] = await store.getTransitions({ agent: name, to: "stale" });
        expect(t?.from).toBe(name === "i" ? "initializing" : name === "e" ? "error" : name === "r" ? "recovering" : "active");
      }
    });

    it("counts all stale agents even when the sample is limited, oldest first", async () => {
      const { store, clock } = await open();
      for (let i = 0; i < 5; i++) {
        await store.updateHeartbeat(`w${i}`);
        await clock.advance(10);
      }
      await clock.advance(THRESHOLD);
      const { count, sample } = await store.findStaleAgents(THRESHOLD, 2);
      expect(count).toBe(5);
      expect(sample.map((s) => s.name)).toEqual(["w0", "w1"]);
      expect(sample[0]!.ageMs).toBeGreaterThan(sample[1]!.ageMs);
      expect((await store.findStaleAgents(THRESHOLD)).sample.map((s) => s.name)).toEqual(["w0", "w1", "w2", "w3", "w4"]);
    });
  });

  describe("summary", () => {
    it("summary counts agents by state, with every state present", async () => {
      const { store } = await open();
      expect(await store.summary()).toEqual({ total: 0, byState: Object.fromEntries(AGENT_STATES.map((s) => [s, 0])) });
      await store.updateHeartbeat("a");
      await store.registerAgent("b");
      const s = await store.summary();
      expect(s.total).toBe(2);
      expect(s.byState).toMatchObject({ active: 1, initializing: 1, stale: 0 });
      expect(Object.keys(s.byState).sort()).toEqual([...AGENT_STATES].sort());
    });

    it("resourceTotals counts every agent and sums what the live ones last reported", async () => {
      const { store } = await open();
      expect(await store.resourceTotals()).toEqual({ agents: 0, rssBytes: 0, cpuPercent: 0 });
      await store.updateHeartbeat("big", { rssBytes: 3e9, cpuPercent: 12.5 });
      await store.updateHeartbeat("small", { rssBytes: 1000, cpuPercent: 0.25 });
      await store.updateHeartbeat("silent");
      await store.updateHeartbeat("halted", { rssBytes: 7e9, cpuPercent: 50 });
      await store.updateAgentState("halted", "stopped", "t");
      await store.updateHeartbeat("broken", { rssBytes: 5e9, cpuPercent: 40 });
      await store.updateAgentState("broken", "failed", "t");
      await store.updateHeartbeat("erring", { rssBytes: 1, cpuPercent: 1 });
      await store.updateAgentState("erring", "error", "t");
      expect(await store.resourceTotals()).toEqual({ agents: 6, rssBytes: 3e9 + 1000 + 1, cpuPercent: 13.75 });
    });
  });
}

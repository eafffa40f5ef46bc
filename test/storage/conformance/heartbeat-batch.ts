/** AgentWriter.updateHeartbeats: a batch written as the single heartbeats would be, in one transaction. */
import { describe, expect, it } from "vitest";
import { isValidationError } from "../../../src/errors/index.js";
import { transitionsOf } from "./agents.js";
import type { Open } from "./harness.js";

export function heartbeatBatchSuite(open: Open): void {
  describe("heartbeat batches (group commit)", () => {
    it("stamps live agents, registers unknown ones, revives stale and stopped ones, leaves initializing ones alone", async () => {
      const { store, clock, t0 } = await open();
      await store.updateHeartbeat("live", { pid: 1, host: "h" });
      await store.updateHeartbeat("gone");
      await store.registerAgent("halted");
      await store.updateAgentState("halted", "stopped", "t");
      await clock.advance(10_001);
      await store.updateHeartbeat("live");
      expect((await store.markStaleAgents(10_000)).map((s) => s.name)).toEqual(["gone"]);
      await store.registerAgent("booting");
      await clock.advance(500);
      await store.registerAgent("failing");
      await store.updateAgentState("failing", "error", "t");
      const states = await store.updateHeartbeats([
        { name: "live", info: { rssBytes: 10, activity: { status: "running", node: "n", step: 1, threadId: null, runStartedAt: t0, lastProgressAt: t0, running: 1, lastRun: null } } },
        { name: "gone" },
        { name: "booting", info: { pid: 3 } },
        { name: "halted" },
        { name: "newcomer", info: { pid: 99 } },
        { name: "failing" },
      ]);
      // what each heartbeat left: the store's state afterwards, without reading it back
      expect(states).toEqual(["active", "active", "initializing", "active", "active", "error"]);
      expect((await store.getAgent("failing"))?.state).toBe("error");
      const at = t0 + 10_501;
      expect(await store.getAgent("live")).toMatchObject({ state: "active", lastHeartbeat: at, heartbeats: 3, pid: 1, host: "h", rssBytes: 10, activity: { status: "running", node: "n" } });
      expect(await store.getAgent("gone")).toMatchObject({ state: "active", stateReason: "heartbeat resumed", lastHeartbeat: at, heartbeats: 2 });
      expect(await store.getAgent("booting")).toMatchObject({ state: "initializing", lastHeartbeat: at, pid: 3, heartbeats: 1 });
      expect(await store.getAgent("halted")).toMatchObject({ state: "active", stateReason: "heartbeat resumed", heartbeats: 1 });
      expect(await store.getAgent("newcomer")).toMatchObject({ state: "active", stateReason: "registered by first heartbeat", registeredAt: at, heartbeats: 1, pid: 99 });
      expect((await transitionsOf(store, "gone")).at(-1)).toEqual({ from: "stale", to: "active", at, reason: "heartbeat resumed" });
      expect(await transitionsOf(store, "newcomer")).toEqual([{ from: null, to: "active", at, reason: "registered by first heartbeat" }]);
    });

    it("counts every heartbeat of a name sent more than once, the later fields winning", async () => {
      const { store } = await open();
      await store.updateHeartbeat("twice");
      expect(await store.updateHeartbeats([
        { name: "twice", info: { pid: 1, host: "a" } },
        { name: "twice", info: { pid: 2 } },
        { name: "fresh" },
        { name: "fresh", info: { pid: 5 } },
        { name: "twice" },
      ])).toEqual(["active", "active", "active", "active", "active"]);
      expect(await store.getAgent("twice")).toMatchObject({ heartbeats: 4, pid: 2, host: "a" });
      expect(await store.getAgent("fresh")).toMatchObject({ heartbeats: 2, pid: 5, state: "active" });
      await Promise.all(Array.from({ length: 20 }, () => store.updateHeartbeats([{ name: "twice" }, { name: "fresh" }])));
      expect((await store.getAgent("twice"))?.heartbeats).toBe(24);
      expect((await store.getAgent("fresh"))?.heartbeats).toBe(22);
    });

    it("revives and registers many names of one batch, each with one transition and every heartbeat counted", async () => {
      const { store, clock } = await open();
      const down = Array.from({ length: 300 }, (_, i) => `down-${i}`);
      const unknown = Array.from({ length: 300 }, (_, i) => `new-${i}`);
      for (const n of down) await store.updateHeartbeat(n);
      await clock.advance(10_001);
      expect(await store.markStaleAgents(10_000)).toHaveLength(300);
      const batch = [...down, ...unknown, ...down].map((name) => ({ name }));
      expect(new Set(await store.updateHeartbeats(batch))).toEqual(new Set(["active"]));
      for (const n of [down[0]!, down[299]!]) {
        expect(await store.getAgent(n)).toMatchObject({ state: "active", heartbeats: 3 });
        expect((await transitionsOf(store, n)).map((t) => `${t.from}->${t.to}`)).toEqual(["null->active", "active->stale", "stale->active"]);
      }
      expect(await store.getAgent(unknown[150]!)).toMatchObject({ state: "active", heartbeats: 1 });
      expect(await transitionsOf(store, unknown[150]!)).toHaveLength(1);
      expect(await store.countAgents({ states: ["active"] })).toBe(600);
    });

    it("writes nothing when one name of the batch is invalid; an empty batch is a no-op", async () => {
      const { store } = await open();
      await expect(store.updateHeartbeats([{ name: "fine" }, { name: "bad\u0000name" }])).rejects.toSatisfy(isValidationError);
      expect(await store.getAgent("fine")).toBeUndefined();
      expect(await store.updateHeartbeats([])).toEqual([]);
      expect(await store.getRegisteredAgents()).toEqual([]);
    });
  });
}

/** AdminStore.cleanupStale: which records go, dry-run, age, the names kept, history removed with them. */
import { describe, expect, it } from "vitest";
import type { Open } from "./harness.js";

export function cleanupSuite(open: Open): void {
  describe("cleanupStale", () => {
    it("dry-run lists without deleting; the real run deletes agents with their history", async () => {
      const { store, clock } = await open();
      await store.updateHeartbeat("old-stale");
      await store.registerAgent("stopped-one");
      await store.updateAgentState("stopped-one", "stopped");
      await store.recordError("old-stale", "x");
      await store.updateHeartbeat("alive");
      await clock.advance(10_001);
      await store.markStaleAgents(10_000);
      await store.updateHeartbeat("alive");

      expect((await store.cleanupStale({ dryRun: true })).removed).toEqual(["old-stale", "stopped-one"]);
      expect(await store.getAgent("old-stale")).toBeDefined();
      expect((await store.cleanupStale({ olderThanMs: 60_000 })).removed).toEqual([]);

      expect((await store.cleanupStale()).removed).toEqual(["old-stale", "stopped-one"]);
      expect((await store.getRegisteredAgents()).map((a) => a.name)).toEqual(["alive"]);
      expect(await store.getTransitions({ agent: "old-stale" })).toEqual([]);
      expect(await store.getErrors({ agent: "old-stale" })).toEqual([]);
    });

    it("returns { removed, kept }: names in `keep` stay whatever their state, and are listed as kept", async () => {
      const { store, clock } = await open();
      for (const [name, state] of [["f", "failed"], ["s", "stopped"], ["st", "stale"], ["kept-f", "failed"], ["kept-s", "stopped"]] as const) {
        await store.registerAgent(name);
        await store.updateAgentState(name, state, "t");
      }
      await store.updateHeartbeat("live");
      await clock.advance(1); // "older than 0 ms": a record stamped this very millisecond is not
      const keep = ["kept-f", "kept-s", "live", "not-there"];
      const dry = await store.cleanupStale({ dryRun: true, keep });
      expect(dry).toEqual({ removed: ["f", "s", "st"], kept: ["kept-f", "kept-s"] });
      expect(await store.countAgents()).toBe(6);
      expect(await store.cleanupStale({ keep })).toEqual(dry);
      expect((await store.getRegisteredAgents()).map((a) => a.name)).toEqual(["kept-f", "kept-s", "live"]);
      expect((await store.getTransitions({ agent: "kept-f" })).length).toBeGreaterThan(0);
      expect(await store.cleanupStale({ keep })).toEqual({ removed: [], kept: ["kept-f", "kept-s"] });
    });

    it("olderThanMs removes only records whose last heartbeat is older than that", async () => {
      const { store, clock } = await open();
      await store.registerAgent("old");
      await store.updateAgentState("old", "stopped", "t");
      await clock.advance(60_000);
      await store.registerAgent("recent");
      await store.updateAgentState("recent", "failed", "t");
      await clock.advance(1_000);
      expect(await store.cleanupStale({ olderThanMs: 61_000, dryRun: true })).toEqual({ removed: [], kept: [] });
      expect(await store.cleanupStale({ olderThanMs: 30_000 })).toEqual({ removed: ["old"], kept: [] });
      expect(await store.cleanupStale({ olderThanMs: 30_000 })).toEqual({ removed: [], kept: [] });
      expect(await store.cleanupStale()).toEqual({ removed: ["recent"], kept: [] });
      expect(await store.summary()).toMatchObject({ total: 0 });
    });

    it("never removes a live agent, however old its heartbeat", async () => {
      const { store, clock } = await open();
      for (const [name, state] of [["i", "initializing"], ["a", "active"], ["e", "error"], ["r", "recovering"]] as const) {
        await store.registerAgent(name);
        if (state !== "initializing") await store.updateAgentState(name, state, "t");
      }
      await clock.advance(86_400_000);
      expect(await store.cleanupStale()).toEqual({ removed: [], kept: [] });
      expect(await store.countAgents()).toBe(4);
    });
  });
}

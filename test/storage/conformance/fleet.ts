/** FleetStore: system state values, ensureRegistered, removeAgents, checkDatabase. */
import { describe, expect, it } from "vitest";
import { SYSTEM_KEYS } from "../../../src/storage/index.js";
import type { Open } from "./harness.js";

export function fleetSuite(open: Open): void {
  describe("fleet sub-store", () => {
    it("keeps system state as JSON values under keys, replacing on write", async () => {
      const { store } = await open();
      expect(await store.fleet.getSystemState(SYSTEM_KEYS.system)).toBeUndefined();
      const value = { startedAt: 1, version: "1.2.3", pid: 42, nested: { list: [1, "two", null], flag: true } };
      await store.fleet.setSystemState(SYSTEM_KEYS.system, value);
      expect(await store.fleet.getSystemState(SYSTEM_KEYS.system)).toEqual(value);
      await store.fleet.setSystemState(SYSTEM_KEYS.system, { startedAt: 2 });
      expect(await store.fleet.getSystemState(SYSTEM_KEYS.system)).toEqual({ startedAt: 2 });
      await store.fleet.setSystemState(SYSTEM_KEYS.supervisor, ["a", "b"]);
      await store.fleet.setSystemState("plain", "text");
      expect(await store.fleet.getSystemState(SYSTEM_KEYS.supervisor)).toEqual(["a", "b"]);
      expect(await store.fleet.getSystemState("plain")).toBe("text");
      expect(await store.fleet.getSystemState(SYSTEM_KEYS.config)).toBeUndefined();
    });

    it("systemStatesByPrefix lists the values under keys with a prefix, by key", async () => {
      const { store } = await open();
      expect(await store.fleet.systemStatesByPrefix("supervisor@")).toEqual([]);
      await store.fleet.setSystemState("supervisor@b", { pid: 2 });
      await store.fleet.setSystemState("supervisor@a", { pid: 1 });
      await store.fleet.setSystemState("supervisor", { pid: 0 });
      await store.fleet.setSystemState("supervisor_x", { pid: 9 });
      expect(await store.fleet.systemStatesByPrefix("supervisor@")).toEqual([{ key: "supervisor@a", value: { pid: 1 } }, { key: "supervisor@b", value: { pid: 2 } }]);
    });

    it("ensureRegistered creates missing agents as stopped (not swept stale), leaves known ones alone, returns the new names", async () => {
      const { store, clock, t0 } = await open();
      await store.updateHeartbeat("known", { pid: 3 });
      expect(await store.fleet.ensureRegistered(["known", "new-a", "new-b"], "expected by the supervisor")).toEqual(["new-a", "new-b"]);
      expect(await store.getAgent("new-a")).toMatchObject({ state: "stopped", stateReason: "expected by the supervisor", registeredAt: t0, heartbeats: 0 });
      expect(await store.getAgent("known")).toMatchObject({ state: "active", pid: 3 });
      expect((await store.getTransitions({ agent: "new-b" })).map((t) => [t.from, t.to, t.reason])).toEqual([[null, "stopped", "expected by the supervisor"]]);
      expect(await store.fleet.ensureRegistered(["new-a"], "again")).toEqual([]);
      expect(await store.fleet.ensureRegistered([], "none")).toEqual([]);
      await clock.advance(10 * 60_000);
      expect(await store.markStaleAgents(60_000)).toEqual([{ name: "known", lastHeartbeat: t0, ageMs: 10 * 60_000 }]);
      expect((await store.getAgent("new-a"))?.state).toBe("stopped");
    });

    it("removeAgents deletes the named agents with their transitions and errors, returning those that existed", async () => {
      const { store } = await open();
      for (const n of ["a", "b", "c"]) {
        await store.registerAgent(n);
        await store.recordError(n, `${n} failed`);
      }
      await store.requestRestart("b");
      expect(await store.fleet.removeAgents(["b", "ghost", "c"])).toEqual(["b", "c"]);
      expect((await store.getRegisteredAgents()).map((a) => a.name)).toEqual(["a"]);
      expect(await store.getTransitions({ agent: "b" })).toEqual([]);
      expect(await store.getErrors({ agent: "c" })).toEqual([]);
      expect((await store.getErrors()).map((e) => e.agent)).toEqual(["a"]);
      expect(await store.pendingRestarts()).toEqual([]);
      expect(await store.fleet.removeAgents([])).toEqual([]);
    });

    it("checkDatabase of a healthy store is ok at the expected schema version", async () => {
      const { store } = await open();
      await store.updateHeartbeat("a");
      const r = await store.fleet.checkDatabase();
      expect(r).toEqual({ ok: true, problems: [], schemaVersion: r.expectedVersion, expectedVersion: r.expectedVersion });
      expect(r.expectedVersion).toBeGreaterThan(0);
    });
  });
}

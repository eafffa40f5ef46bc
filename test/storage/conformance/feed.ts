/**
 * TransitionFeed and the server's read helpers: getTransitions filters, transitionsAfter (every
 * transition once, in order, ids never reused, across a clean-up), countTransitions, the change
 * token on every kind of write, storageInfo and probeWriteLock.
 */
import { describe, expect, it } from "vitest";
import { isValidationError } from "../../../src/errors/index.js";
import type { StateStore, Transition } from "../../../src/storage/index.js";
import type { Open } from "./harness.js";

/** A consumer of the feed: keeps only its cursor, reads in small pages. */
async function follow(store: StateStore, cursor: number, seen: Transition[]): Promise<number> {
  for (;;) {
    const page = await store.transitionsAfter(cursor, 3);
    if (page.length === 0) return cursor;
    seen.push(...page);
    cursor = page.at(-1)!.id;
  }
}

export function feedSuite(open: Open): void {
  describe("transitions", () => {
    it("getTransitions filters by agent, time, from and to, oldest first, up to the limit", async () => {
      const { store, clock, t0 } = await open();
      await store.registerAgent("a");
      await store.registerAgent("b");
      await clock.advance(100);
      await store.updateAgentState("a", "active", "up");
      await store.updateAgentState("b", "error", "boom");
      await clock.advance(100);
      await store.updateAgentState("a", "stale", "late");
      await store.updateAgentState("a", "active", "back");
      const all = await store.getTransitions();
      expect(all.map((t) => `${t.agent}:${t.from}>${t.to}`)).toEqual(["a:null>initializing", "b:null>initializing", "a:initializing>active", "b:initializing>error", "a:active>stale", "a:stale>active"]);
      expect(all.map((t) => t.id)).toEqual([...all.map((t) => t.id)].sort((x, y) => x - y));
      expect(new Set(all.map((t) => t.id)).size).toBe(all.length);
      expect((await store.getTransitions({ agent: "b" })).map((t) => t.reason)).toEqual(["registered", "boom"]);
      expect((await store.getTransitions({ since: t0 + 200 })).map((t) => t.reason)).toEqual(["late", "back"]);
      expect((await store.getTransitions({ to: "active" })).map((t) => t.reason)).toEqual(["up", "back"]);
      expect((await store.getTransitions({ from: "stale", to: "active" })).map((t) => t.at)).toEqual([t0 + 200]);
      expect((await store.getTransitions({ agent: "a", limit: 2 })).map((t) => t.to)).toEqual(["initializing", "active"]);
      expect(await store.getTransitions({ agent: "nobody" })).toEqual([]);
    });

    it("transitionsAfter returns the transitions after an id, oldest first, up to the limit", async () => {
      const { store } = await open();
      expect(await store.transitionsAfter(0)).toEqual([]);
      await store.registerAgent("a");
      await store.updateAgentState("a", "active");
      await store.updateAgentState("a", "stopped");
      const all = await store.transitionsAfter(0);
      expect(all).toEqual(await store.getTransitions());
      expect(all.map((t) => t.to)).toEqual(["initializing", "active", "stopped"]);
      expect(await store.transitionsAfter(all[0]!.id)).toEqual(all.slice(1));
      expect(await store.transitionsAfter(0, 2)).toEqual(all.slice(0, 2));
      expect(await store.transitionsAfter(all[2]!.id)).toEqual([]);
    });

    it("a consumer following the feed from its cursor across a clean-up sees every transition once, in order, no id reused", async () => {
      const { store, clock } = await open();
      const seen: Transition[] = [];
      let cursor = 0;
      // old agents that will be cleaned up, written last so their transitions hold the highest ids
      await store.updateHeartbeat("keeper");
      for (const n of ["old-1", "old-2", "old-3"]) {
        await store.registerAgent(n);
        await store.updateAgentState(n, "active", "up");
      }
      cursor = await follow(store, cursor, seen);
      await store.updateAgentState("old-1", "stopped", "done");
      await store.updateAgentState("old-2", "failed", "crashed");
      await clock.advance(200_000);
      await store.updateHeartbeat("keeper");
      expect((await store.markStaleAgents(120_000)).map((s) => s.name)).toEqual(["old-3"]);
      // a consumer that lags: the clean-up deletes transitions it has not read yet
      const beforeCleanup = await store.transitionsAfter(cursor);
      expect(beforeCleanup.map((t) => t.to)).toEqual(["stopped", "failed", "stale"]);
      const highestEver = beforeCleanup.at(-1)!.id;
      expect((await store.cleanupStale()).removed).toEqual(["old-1", "old-2", "old-3"]);
      expect(await store.transitionsAfter(cursor)).toEqual([]);
      // after the clean-up, new transitions get ids above any ever handed out
      await store.registerAgent("new-1");
      await store.updateAgentState("keeper", "error", "oops");
      await store.updateHeartbeat("new-2");
      cursor = await follow(store, cursor, seen);
      const fresh = seen.filter((t) => t.id > highestEver);
      expect(fresh.map((t) => `${t.agent}>${t.to}`)).toEqual(["new-1>initializing", "keeper>error", "new-2>active"]);
      expect(Math.min(...fresh.map((t) => t.id))).toBeGreaterThan(highestEver);
      // once each, in id order, and each is what getTransitions still holds
      const ids = seen.map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(cursor).toBe(ids.at(-1));
      const still = new Map((await store.getTransitions()).map((t) => [t.id, t]));
      for (const t of seen.filter((x) => still.has(x.id))) expect(still.get(t.id)).toEqual(t);
      for (const id of still.keys()) expect(ids).toContain(id);
      expect(seen.filter((t) => t.agent === "keeper").map((t) => t.to)).toEqual(["active", "error"]);
      // nothing new: the cursor stays put
      expect(await store.transitionsAfter(cursor)).toEqual([]);
    });

    it("a consumer woken by every write while many writers run sees every transition once, in id order", async () => {
      const { store } = await open();
      const seen: Transition[] = [];
      let cursor = 0;
      // one poll at a time, each started by a write (as live updates are), running beside the other writers
      let polls = Promise.resolve();
      const poll = () => void (polls = polls.then(async () => void (cursor = await follow(store, cursor, seen))));
      await Promise.all(Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 6; i++) {
          const name = `w${w}-${i}`;
          await store.registerAgent(name);
          poll();
          await store.updateAgentState(name, i % 2 ? "active" : "error", "t");
          poll();
        }
      }));
      poll();
      await polls;
      const ids = seen.map((t) => t.id);
      expect(ids).toEqual((await store.getTransitions({ limit: 10_000 })).map((t) => t.id));
      expect(ids).toHaveLength(8 * 6 * 2);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(cursor).toBe(ids.at(-1));
    });

    it("refuses a cursor that is not a number", async () => {
      const { store } = await open();
      await expect(store.transitionsAfter(Number.NaN)).rejects.toSatisfy(isValidationError);
      await expect(store.countTransitions(Number.NaN)).rejects.toSatisfy(isValidationError);
      await expect(store.transitionsAfter("3" as never)).rejects.toSatisfy(isValidationError);
    });

    it("ids stay unique and growing when the newest agent is removed by removeAgents", async () => {
      const { store } = await open();
      await store.registerAgent("a");
      await store.registerAgent("gone");
      await store.updateAgentState("gone", "active");
      const top = (await store.transitionsAfter(0)).at(-1)!.id;
      expect(await store.fleet.removeAgents(["gone"])).toEqual(["gone"]);
      await store.registerAgent("b");
      const [b] = await store.getTransitions({ agent: "b" });
      expect(b!.id).toBeGreaterThan(top);
    });

    it("countTransitions counts by target state, incrementally from an id", async () => {
      const { store } = await open();
      await store.registerAgent("a");
      await store.updateAgentState("a", "active");
      const first = await store.countTransitions(0);
      expect(first.byTarget).toEqual({ initializing: 1, active: 1 });
      await store.updateAgentState("a", "stale");
      await store.updateAgentState("a", "active");
      const next = await store.countTransitions(first.lastId);
      expect(next.byTarget).toEqual({ stale: 1, active: 1 });
      expect(next.lastId).toBeGreaterThan(first.lastId);
      expect(await store.countTransitions(next.lastId)).toEqual({ lastId: next.lastId, byTarget: {} });
      expect(next.lastId).toBe((await store.transitionsAfter(0)).at(-1)!.id);
    });
  });

  describe("change token and storage info", () => {
    it("changeToken moves with every kind of agent change and stays put otherwise", async () => {
      const { store, clock } = await open();
      await store.updateHeartbeat("a");
      const seen = [await store.changeToken()];
      expect(await store.changeToken()).toBe(seen[0]);
      const steps: [string, () => Promise<unknown>][] = [
        ["heartbeat", async () => (await clock.advance(10), store.updateHeartbeat("a"))],
        ["heartbeat, same time", () => store.updateHeartbeat("a")],
        ["error", () => store.recordError("a", "x")],
        ["restart counted", () => store.noteRestart("a")],
        ["restart requested", () => store.requestRestart("a")],
        ["state", async () => (await clock.advance(10), store.updateAgentState("a", "stopped", "t"))],
        ["clean-up", () => store.cleanupStale()],
        ["registration", () => store.registerAgent("b")],
        ["re-registration", async () => (await clock.advance(10), store.registerAgent("b", { reason: "again" }))],
        ["ensureRegistered", () => store.fleet.ensureRegistered(["c"], "expected")],
        ["stale sweep", async () => (await clock.advance(200_000), store.markStaleAgents(100_000))],
        ["revive", () => store.updateHeartbeat("b")],
        ["removeAgents", () => store.fleet.removeAgents(["c"])],
      ];
      for (const [what, step] of steps) {
        await step();
        const token = await store.changeToken();
        expect(seen, what).not.toContain(token);
        seen.push(token);
      }
      // reads and no-op writes leave it alone
      await store.getRegisteredAgents();
      await store.findStaleAgents(1);
      await store.cleanupStale({ dryRun: true });
      await store.fleet.ensureRegistered(["b"], "known");
      expect(await store.changeToken()).toBe(seen.at(-1));
    });

    it("storageInfo says where the data is; probeWriteLock takes the write lock and says how long it took", async () => {
      const { store } = await open();
      await store.updateHeartbeat("a");
      const info = await store.storageInfo();
      expect(typeof info.location).toBe("string");
      expect(info.location.length).toBeGreaterThan(0);
      expect(info.location).not.toMatch(/:[^:@/]*@/); // no password in a connection string
      for (const size of [info.dbBytes, info.walBytes]) expect(size === null || (Number.isInteger(size) && size >= 0)).toBe(true);
      const ms = await store.probeWriteLock();
      expect(Number.isFinite(ms)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(0);
      // writes still work after a probe
      await store.updateHeartbeat("a");
      expect((await store.getAgent("a"))?.heartbeats).toBe(2);
    });
  });
}

/** AgentWriter and RestartQueue: registration, name rules, state changes, heartbeats, errors, restart requests. */
import { describe, expect, it } from "vitest";
import { isAgentNotFoundError, isValidationError } from "../../../src/errors/index.js";
import { MAX_AGENT_NAME, type StateStore } from "../../../src/storage/index.js";
import type { Open } from "./harness.js";

export const transitionsOf = async (store: StateStore, agent: string) =>
  (await store.getTransitions({ agent })).map((t) => ({ from: t.from, to: t.to, at: t.at, reason: t.reason }));

export function agentSuite(open: Open): void {
  describe("registration and state changes", () => {
    it("registers an agent as initializing, with a transition from nothing", async () => {
      const { store, t0 } = await open();
      const a = await store.registerAgent("worker-1", { pid: 42, host: "h", version: "1.0" });
      expect(a).toMatchObject({ name: "worker-1", state: "initializing", registeredAt: t0, startedAt: t0, lastHeartbeat: t0, pid: 42, heartbeats: 0 });
      expect(a).toMatchObject({ host: "h", version: "1.0", errorCount: 0, restarts: 0, restartRequestedAt: null, lastError: null, meta: null });
      expect(await store.getAgent("worker-1")).toEqual(a);
      expect(await transitionsOf(store, "worker-1")).toEqual([{ from: null, to: "initializing", at: t0, reason: "registered" }]);
      expect((await store.getRegisteredAgents()).map((r) => r.name)).toEqual(["worker-1"]);
    });

    it("keeps meta and a given reason; getAgent of an unknown name is undefined", async () => {
      const { store } = await open();
      const a = await store.registerAgent("m", { meta: { role: "demo", n: 2 }, reason: "started by test" });
      expect(a).toMatchObject({ meta: { role: "demo", n: 2 }, stateReason: "started by test" });
      expect(await store.getAgent("nobody")).toBeUndefined();
    });

    it("records every state change (from, to, at, reason), and none for a same-state update", async () => {
      const { store, clock, t0 } = await open();
      await store.registerAgent("w");
      await clock.advance(1000);
      await store.updateAgentState("w", "active", "startup complete");
      await clock.advance(1000);
      const same = await store.updateAgentState("w", "active", "still fine");
      expect(same).toMatchObject({ state: "active", stateReason: "still fine", stateChangedAt: t0 + 1000 });
      await clock.advance(1000);
      const rec = await store.updateAgentState("w", "error", "boom");
      expect(rec).toMatchObject({ state: "error", stateReason: "boom", stateChangedAt: t0 + 3000 });
      expect(await transitionsOf(store, "w")).toEqual([
        { from: null, to: "initializing", at: t0, reason: "registered" },
        { from: "initializing", to: "active", at: t0 + 1000, reason: "startup complete" },
        { from: "active", to: "error", at: t0 + 3000, reason: "boom" },
      ]);
    });

    it("re-registering a known agent (a restart) goes back to initializing and keeps its counters", async () => {
      const { store, clock, t0 } = await open();
      await store.registerAgent("w", { version: "1.0", meta: { a: 1 } });
      await store.updateHeartbeat("w");
      await store.recordError("w", "x");
      await store.noteRestart("w");
      await clock.advance(5000);
      const again = await store.registerAgent("w", { reason: "restarted", pid: 9 });
      expect(again).toMatchObject({ state: "initializing", stateReason: "restarted", startedAt: t0 + 5000, registeredAt: t0, heartbeats: 1 });
      expect(again).toMatchObject({ lastHeartbeat: t0 + 5000, pid: 9, errorCount: 1, restarts: 1, version: "1.0", meta: { a: 1 } });
      // already initializing: no second transition to the same state
      expect((await transitionsOf(store, "w")).map((t) => t.to)).toEqual(["initializing"]);
      await store.updateAgentState("w", "stopped", "t");
      await store.registerAgent("w");
      expect((await transitionsOf(store, "w")).map((t) => [t.from, t.to])).toEqual([[null, "initializing"], ["initializing", "stopped"], ["stopped", "initializing"]]);
    });

    it("takes any printable name up to the limit and refuses the rest on every write path", async () => {
      const { store } = await open();
      for (const name of ["x".repeat(MAX_AGENT_NAME), "with space", "a.b_c-d:e@f/g", "ünïcødé ☃", "<b>tag</b>", "quote's"]) {
        await store.registerAgent(name);
        expect((await store.getAgent(name))?.name).toBe(name);
      }
      for (const bad of ["", " ", " lead", "trail ", "x".repeat(MAX_AGENT_NAME + 1), "tab\there", "line\nbreak", "bidi\u202ename"]) {
        await expect(store.registerAgent(bad), JSON.stringify(bad)).rejects.toSatisfy(isValidationError);
        await expect(store.updateHeartbeat(bad), JSON.stringify(bad)).rejects.toSatisfy(isValidationError);
        await expect(store.fleet.ensureRegistered([bad], "t"), JSON.stringify(bad)).rejects.toSatisfy(isValidationError);
      }
      expect(await store.countAgents()).toBe(6);
    });

    it("rejects unknown agents, unknown states and bad names with typed errors", async () => {
      const { store } = await open();
      await expect(store.updateAgentState("ghost", "active")).rejects.toSatisfy(isAgentNotFoundError);
      await store.registerAgent("w");
      await expect(store.updateAgentState("w", "sleeping" as never)).rejects.toSatisfy(isValidationError);
      await expect(store.registerAgent("")).rejects.toSatisfy(isValidationError);
      await expect(store.registerAgent("x".repeat(129))).rejects.toSatisfy(isValidationError);
      await expect(store.updateHeartbeat("bad\u0000name")).rejects.toSatisfy(isValidationError);
      await expect(store.getRegisteredAgents({ states: ["nope" as never] })).rejects.toSatisfy(isValidationError);
      await expect(store.recordError("ghost", "x")).rejects.toSatisfy(isAgentNotFoundError);
      expect(await store.getAgent("ghost")).toBeUndefined();
      expect((await store.getAgent("w"))?.state).toBe("initializing");
    });
  });

  describe("heartbeats", () => {
    it("stamps the heartbeat, counts it, and keeps process info", async () => {
      const { store, clock, t0 } = await open();
      await store.registerAgent("w", { host: "h1", version: "2.0" });
      await store.updateAgentState("w", "active");
      await clock.advance(2000);
      await store.updateHeartbeat("w", { pid: 7, rssBytes: 1234, writeLatencyMs: 0.5, cpuPercent: 1.5, eventLoopLagMs: 3 });
      await clock.advance(2000);
      await store.updateHeartbeat("w");
      const a = await store.getAgent("w");
      expect(a).toMatchObject({ lastHeartbeat: t0 + 4000, heartbeats: 2, pid: 7, rssBytes: 1234, heartbeatLatencyMs: 0.5, state: "active" });
      expect(a).toMatchObject({ host: "h1", version: "2.0", cpuPercent: 1.5, eventLoopLagMs: 3, stateChangedAt: t0 });
    });

    it("registers an unknown agent on its first heartbeat, as active", async () => {
      const { store, t0 } = await open();
      await store.updateHeartbeat("newcomer", { pid: 99 });
      const a = await store.getAgent("newcomer");
      expect(a).toMatchObject({ state: "active", heartbeats: 1, pid: 99, lastHeartbeat: t0, registeredAt: t0, startedAt: t0 });
      expect(await transitionsOf(store, "newcomer")).toEqual([{ from: null, to: "active", at: t0, reason: "registered by first heartbeat" }]);
    });

    it("a heartbeat from a stale agent brings it back to active with a 'heartbeat resumed' transition", async () => {
      const { store, clock, t0 } = await open();
      await store.updateHeartbeat("w");
      await clock.advance(10_001);
      expect((await store.markStaleAgents(10_000)).map((s) => s.name)).toEqual(["w"]);
      await clock.advance(500);
      await store.updateHeartbeat("w");
      expect((await store.getAgent("w"))?.state).toBe("active");
      const t = await transitionsOf(store, "w");
      expect(t.slice(1)).toEqual([
        { from: "active", to: "stale", at: t0 + 10_001, reason: "no heartbeat for 10.0s (threshold 10s)" },
        { from: "stale", to: "active", at: t0 + 10_501, reason: "heartbeat resumed" },
      ]);
    });

    it("a heartbeat revives a stopped or failed agent too, keeping its info and counting the beat", async () => {
      const { store, clock, t0 } = await open();
      for (const state of ["stopped", "failed"] as const) {
        await store.registerAgent(state, { pid: 5, host: "h", version: "v" });
        await store.updateHeartbeat(state);
        await store.updateAgentState(state, state, "t");
      }
      await clock.advance(100);
      for (const state of ["stopped", "failed"] as const) {
        await store.updateHeartbeat(state, { rssBytes: 10 });
        const a = await store.getAgent(state);
        expect(a).toMatchObject({ state: "active", stateReason: "heartbeat resumed", stateChangedAt: t0 + 100, lastHeartbeat: t0 + 100, heartbeats: 2 });
        expect(a).toMatchObject({ pid: 5, host: "h", version: "v", rssBytes: 10 });
        expect((await transitionsOf(store, state)).at(-1)).toEqual({ from: state, to: "active", at: t0 + 100, reason: "heartbeat resumed" });
      }
    });

    it("does not change the state of an agent that is initializing, in error or recovering", async () => {
      const { store } = await open();
      await store.registerAgent("w");
      await store.updateHeartbeat("w");
      expect((await store.getAgent("w"))?.state).toBe("initializing");
      await store.updateAgentState("w", "error", "x");
      await store.updateHeartbeat("w");
      expect((await store.getAgent("w"))?.state).toBe("error");
      await store.updateAgentState("w", "recovering", "y");
      await store.updateHeartbeat("w");
      expect((await store.getAgent("w"))?.state).toBe("recovering");
      expect((await transitionsOf(store, "w")).map((t) => t.to)).toEqual(["initializing", "error", "recovering"]);
    });

    it("the heartbeats counter equals the number of heartbeats sent", async () => {
      const { store } = await open();
      for (let i = 0; i < 250; i++) await store.updateHeartbeat("counted");
      await Promise.all(Array.from({ length: 50 }, () => store.updateHeartbeat("counted")));
      expect((await store.getAgent("counted"))?.heartbeats).toBe(300);
    });
  });

  describe("errors and restart requests", () => {
    it("recordError counts the error, keeps its text, and lists errors newest first", async () => {
      const { store, clock, t0 } = await open();
      await store.registerAgent("w");
      await store.recordError("w", "first");
      await clock.advance(100);
      await store.recordError("w", "second");
      const a = await store.getAgent("w");
      expect(a).toMatchObject({ errorCount: 2, lastError: "second", lastErrorAt: t0 + 100 });
      expect((await store.getErrors({ agent: "w" })).map((e) => e.message)).toEqual(["second", "first"]);
      expect(await store.getErrors({ agent: "other" })).toEqual([]);
      const [newest] = await store.getErrors({ agent: "w", limit: 1 });
      expect(newest).toMatchObject({ agent: "w", at: t0 + 100, message: "second" });
      expect(typeof newest!.id).toBe("number");
    });

    it("getErrors lists every agent's errors newest first, up to the limit; recording one does not change the state", async () => {
      const { store, clock } = await open();
      await store.updateHeartbeat("a");
      await store.registerAgent("b");
      for (const [agent, message] of [["a", "1"], ["b", "2"], ["a", "3"]] as const) {
        await store.recordError(agent, message);
        await clock.advance(1);
      }
      expect((await store.getErrors()).map((e) => `${e.agent}:${e.message}`)).toEqual(["a:3", "b:2", "a:1"]);
      expect((await store.getErrors({ limit: 2 })).map((e) => e.message)).toEqual(["3", "2"]);
      expect((await store.getAgent("a"))?.state).toBe("active");
      expect(await store.getErrors({ agent: "ghost" })).toEqual([]);
    });

    it("requestRestart marks a pending restart; noteRestart counts it and clears the request", async () => {
      const { store, clock, t0 } = await open();
      await store.registerAgent("a");
      await store.registerAgent("b");
      await store.requestRestart("b");
      await clock.advance(1);
      await store.requestRestart("a");
      expect(await store.pendingRestarts()).toEqual(["b", "a"]);
      expect((await store.getAgent("b"))?.restartRequestedAt).toBe(t0);
      await store.noteRestart("b");
      expect(await store.pendingRestarts()).toEqual(["a"]);
      expect(await store.getAgent("b")).toMatchObject({ restarts: 1, restartRequestedAt: null });
      // a restart done without a request counts too
      await store.noteRestart("b");
      expect((await store.getAgent("b"))?.restarts).toBe(2);
      await expect(store.requestRestart("ghost")).rejects.toSatisfy(isAgentNotFoundError);
      await expect(store.noteRestart("ghost")).rejects.toSatisfy(isAgentNotFoundError);
      expect(await store.pendingRestarts()).toEqual(["a"]);
    });
  });
}

/**
 * PgStore on a real PostgreSQL server (a throw-away cluster for this file, a fresh database per
 * test) with a ManualClock as its test clock: the same cases as test/storage/shared-state.test.ts
 * for SQLite, so both backends agree on states, transitions, heartbeats, the stale logic, clean-up.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isAgentNotFoundError, isValidationError } from "../../../src/errors/index.js";
import { PgStore } from "../../../src/storage/postgres/index.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";

let cluster: PgCluster;
let clock: ManualClock;
let store: PgStore;
const T0 = 1_700_000_000_000;

beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());

beforeEach(async () => {
  clock = new ManualClock(T0);
  store = await PgStore.open({ url: await cluster.freshDatabase(), testClock: clock });
});

afterEach(async () => {
  await store?.close();
});

const transitionsOf = async (agent: string) =>
  (await store.getTransitions({ agent })).map((t) => ({ from: t.from, to: t.to, at: t.at, reason: t.reason }));

describe("registration and state changes", () => {
  it("registers an agent as initializing, with a transition from nothing", async () => {
    const a = await store.registerAgent("worker-1", { pid: 42, host: "h", version: "1.0" });
    expect(a).toMatchObject({ name: "worker-1", state: "initializing", registeredAt: T0, startedAt: T0, lastHeartbeat: T0, pid: 42, heartbeats: 0 });
    expect(await transitionsOf("worker-1")).toEqual([{ from: null, to: "initializing", at: T0, reason: "registered" }]);
    expect((await store.getRegisteredAgents()).map((r) => r.name)).toEqual(["worker-1"]);
  });

  it("records every state change (from, to, at, reason) through the triggers, and none for a same-state update", async () => {
    await store.registerAgent("w");
    clock.advance(1000);
    await store.updateAgentState("w", "active", "startup complete");
    clock.advance(1000);
    await store.updateAgentState("w", "active", "still fine");
    clock.advance(1000);
    const rec = await store.updateAgentState("w", "error", "boom");
    expect(rec).toMatchObject({ state: "error", stateReason: "boom", stateChangedAt: T0 + 3000 });
    expect(await transitionsOf("w")).toEqual([
      { from: null, to: "initializing", at: T0, reason: "registered" },
      { from: "initializing", to: "active", at: T0 + 1000, reason: "startup complete" },
      { from: "active", to: "error", at: T0 + 3000, reason: "boom" },
    ]);
  });

  it("re-registering a known agent (a restart) goes back to initializing and keeps its counters", async () => {
    await store.registerAgent("w");
    await store.updateHeartbeat("w");
    clock.advance(5000);
    const again = await store.registerAgent("w", { reason: "restarted" });
    expect(again).toMatchObject({ state: "initializing", stateReason: "restarted", startedAt: T0 + 5000, registeredAt: T0, heartbeats: 1 });
  });

  it("rejects unknown agents, unknown states and bad names with typed errors", async () => {
    await expect(store.updateAgentState("ghost", "active")).rejects.toSatisfy(isAgentNotFoundError);
    await store.registerAgent("w");
    await expect(store.updateAgentState("w", "sleeping" as never)).rejects.toSatisfy(isValidationError);
    await expect(store.registerAgent("")).rejects.toSatisfy(isValidationError);
    await expect(store.registerAgent("x".repeat(129))).rejects.toSatisfy(isValidationError);
    await expect(store.updateHeartbeat("bad\u0000name")).rejects.toSatisfy(isValidationError);
    await expect(store.getRegisteredAgents({ states: ["nope" as never] })).rejects.toSatisfy(isValidationError);
    await expect(store.recordError("ghost", "x")).rejects.toSatisfy(isAgentNotFoundError);
  });
});

describe("heartbeats", () => {
  it("stamps the heartbeat, counts it, and keeps process info", async () => {
    await store.registerAgent("w");
    await store.updateAgentState("w", "active");
    clock.advance(2000);
    await store.updateHeartbeat("w", { pid: 7, rssBytes: 1234, writeLatencyMs: 0.5 });
    clock.advance(2000);
    await store.updateHeartbeat("w");
    const a = await store.getAgent("w");
    expect(a).toMatchObject({ lastHeartbeat: T0 + 4000, heartbeats: 2, pid: 7, rssBytes: 1234, heartbeatLatencyMs: 0.5, state: "active" });
  });

  it("registers an unknown agent on its first heartbeat, as active", async () => {
    await store.updateHeartbeat("newcomer", { pid: 99 });
    const a = await store.getAgent("newcomer");
    expect(a).toMatchObject({ state: "active", heartbeats: 1, pid: 99, lastHeartbeat: T0 });
    expect(await transitionsOf("newcomer")).toEqual([{ from: null, to: "active", at: T0, reason: "registered by first heartbeat" }]);
  });

  it("a heartbeat from a stale agent brings it back to active with a 'heartbeat resumed' transition", async () => {
    await store.updateHeartbeat("w");
    clock.advance(10_001);
    expect((await store.markStaleAgents(10_000)).map((s) => s.name)).toEqual(["w"]);
    clock.advance(500);
    await store.updateHeartbeat("w");
    expect((await store.getAgent("w"))?.state).toBe("active");
    const t = await transitionsOf("w");
    expect(t.slice(1)).toEqual([
      { from: "active", to: "stale", at: T0 + 10_001, reason: "no heartbeat for 10.0s (threshold 10s)" },
      { from: "stale", to: "active", at: T0 + 10_501, reason: "heartbeat resumed" },
    ]);
  });

  it("does not change the state of an agent that is initializing or in error", async () => {
    await store.registerAgent("w");
    await store.updateHeartbeat("w");
    expect((await store.getAgent("w"))?.state).toBe("initializing");
    await store.updateAgentState("w", "error", "x");
    await store.updateHeartbeat("w");
    expect((await store.getAgent("w"))?.state).toBe("error");
  });
});

describe("stale detection", () => {
  const THRESHOLD = 120_000;

  it("an age equal to the threshold is not stale; one millisecond more is", async () => {
    await store.updateHeartbeat("w");
    clock.advance(THRESHOLD);
    expect(await store.findStaleAgents(THRESHOLD)).toEqual({ count: 0, sample: [] });
    expect(await store.markStaleAgents(THRESHOLD)).toEqual([]);
    clock.advance(1);
    expect(await store.findStaleAgents(THRESHOLD)).toEqual({ count: 1, sample: [{ name: "w", lastHeartbeat: T0, ageMs: THRESHOLD + 1 }] });
    expect(await store.markStaleAgents(THRESHOLD)).toEqual([{ name: "w", lastHeartbeat: T0, ageMs: THRESHOLD + 1 }]);
    const a = await store.getAgent("w");
    expect(a).toMatchObject({ state: "stale", stateChangedAt: T0 + THRESHOLD + 1 });
  });

  it("marks each agent once: an agent already stale is not returned again", async () => {
    await store.updateHeartbeat("w");
    clock.advance(THRESHOLD + 1);
    expect(await store.markStaleAgents(THRESHOLD)).toHaveLength(1);
    clock.advance(1000);
    expect(await store.markStaleAgents(THRESHOLD)).toEqual([]);
    expect(await store.findStaleAgents(THRESHOLD)).toEqual({ count: 0, sample: [] });
  });

  it("a heartbeat landing between check and update wins", async () => {
    await store.updateHeartbeat("w");
    clock.advance(THRESHOLD + 5);
    const found = await store.findStaleAgents(THRESHOLD);
    expect(found.count).toBe(1);
    await store.updateHeartbeat("w");
    expect(await store.markStaleAgents(THRESHOLD)).toEqual([]);
    expect((await store.getAgent("w"))?.state).toBe("active");
    expect((await store.getTransitions({ agent: "w", to: "stale" }))).toEqual([]);
  });

  it("never marks failed or stopped agents stale, but does mark every live state", async () => {
    for (const [name, state] of [["f", "failed"], ["s", "stopped"], ["i", "initializing"], ["e", "error"], ["r", "recovering"], ["a", "active"]] as const) {
      await store.registerAgent(name);
      if (state !== "initializing") await store.updateAgentState(name, state);
    }
    clock.advance(THRESHOLD * 10);
    const found = await store.findStaleAgents(THRESHOLD);
    expect(found.count).toBe(4);
    expect((await store.markStaleAgents(THRESHOLD)).map((s) => s.name).sort()).toEqual(["a", "e", "i", "r"]);
    expect((await store.getAgent("f"))?.state).toBe("failed");
    expect((await store.getAgent("s"))?.state).toBe("stopped");
  });

  it("counts all stale agents even when the sample is limited, oldest first", async () => {
    for (let i = 0; i < 5; i++) {
      await store.updateHeartbeat(`w${i}`);
      clock.advance(10);
    }
    clock.advance(THRESHOLD);
    const { count, sample } = await store.findStaleAgents(THRESHOLD, 2);
    expect(count).toBe(5);
    expect(sample.map((s) => s.name)).toEqual(["w0", "w1"]);
  });

  it("summary counts agents by state", async () => {
    await store.updateHeartbeat("a");
    await store.registerAgent("b");
    const s = await store.summary();
    expect(s.total).toBe(2);
    expect(s.byState).toMatchObject({ active: 1, initializing: 1, stale: 0 });
  });
});

describe("errors, restarts and clean-up", () => {
  it("recordError counts the error, keeps its text, and lists errors newest first", async () => {
    await store.registerAgent("w");
    await store.recordError("w", "first");
    clock.advance(100);
    await store.recordError("w", "second");
    const a = await store.getAgent("w");
    expect(a).toMatchObject({ errorCount: 2, lastError: "second", lastErrorAt: T0 + 100 });
    expect((await store.getErrors({ agent: "w" })).map((e) => e.message)).toEqual(["second", "first"]);
    expect(await store.getErrors({ agent: "other" })).toEqual([]);
  });

  it("requestRestart marks a pending restart; noteRestart counts it and clears the request", async () => {
    await store.registerAgent("a");
    await store.registerAgent("b");
    await store.requestRestart("b");
    clock.advance(1);
    await store.requestRestart("a");
    expect(await store.pendingRestarts()).toEqual(["b", "a"]);
    expect((await store.getAgent("b"))?.restartRequestedAt).toBe(T0);
    await store.noteRestart("b");
    expect(await store.pendingRestarts()).toEqual(["a"]);
    expect(await store.getAgent("b")).toMatchObject({ restarts: 1, restartRequestedAt: null });
    await expect(store.requestRestart("ghost")).rejects.toSatisfy(isAgentNotFoundError);
    await expect(store.noteRestart("ghost")).rejects.toSatisfy(isAgentNotFoundError);
  });

  it("cleanupStale dry-run lists without deleting; the real run deletes agents with their history", async () => {
    await store.updateHeartbeat("old-stale");
    await store.registerAgent("stopped-one");
    await store.updateAgentState("stopped-one", "stopped");
    await store.recordError("old-stale", "x");
    await store.updateHeartbeat("alive");
    clock.advance(10_001);
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

  it("the heartbeats counter equals the number of heartbeats sent", async () => {
    for (let i = 0; i < 250; i++) await store.updateHeartbeat("counted");
    await Promise.all(Array.from({ length: 50 }, () => store.updateHeartbeat("counted")));
    expect((await store.getAgent("counted"))?.heartbeats).toBe(300);
  });
});

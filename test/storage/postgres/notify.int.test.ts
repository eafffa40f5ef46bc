/**
 * The notifier's store on PostgreSQL (not covered by the conformance suite yet): an outbox entry is
 * written once per (channel, key) in the same transaction as the checkpoint, delivered and failed
 * messages are counted per channel, and silences end by id or pattern at the store's time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PgStore } from "../../../src/storage/postgres/index.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";

let cluster: PgCluster;
let store: PgStore | undefined;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());
afterEach(async () => {
  await store?.close();
});

describe("PostgreSQL NotifyStore", () => {
  it("outbox, checkpoint, deliveries and counts", async () => {
    const clock = new ManualClock();
    store = await PgStore.open({ url: await cluster.freshDatabase(), testClock: clock });
    const n = store.notify;
    expect(await n.readCheckpoint()).toEqual({ cursor: 0, state: null, tickAt: null });
    const entry = (channel: string, key: string, agents: string[]) => ({ channel, key, event: "stale", agents, payload: { text: `${key} on ${channel}`, agents } });
    await n.commitPlan([entry("slack", "k1", ["a"]), entry("slack", "k2", ["b", "c"]), entry("mail", "k1", ["a"])], { cursor: 7, state: { x: 1 }, tickAt: clock.now() });
    // the same key again is skipped, the checkpoint still moves
    await n.commitPlan([entry("slack", "k1", ["zzz"])], { cursor: 9, state: { x: 2 }, tickAt: clock.now() });
    expect(await n.readCheckpoint()).toEqual({ cursor: 9, state: { x: 2 }, tickAt: clock.now() });
    const pending = await n.pending("slack");
    expect(pending.map((d) => [d.key, d.agents, d.payload])).toEqual([["k1", ["a"], { text: "k1 on slack", agents: ["a"] }], ["k2", ["b", "c"], { text: "k2 on slack", agents: ["b", "c"] }]]);
    expect(pending[0]).toMatchObject({ status: "pending", attempts: 0, createdAt: clock.now(), nextAttemptAt: clock.now(), lastError: null, deliveredAt: null });
    expect(await n.backlog()).toEqual({ mail: 1, slack: 2 });

    clock.advance(1000);
    await n.markFailed(pending[0]!.id, "503 busy", clock.now() + 5000, false);
    await n.markDelivered(pending[0]!.id);
    await n.markFailed(pending[1]!.id, "400 bad", clock.now(), true);
    expect(await n.pending("slack")).toEqual([]);
    expect((await n.deliveries({ agent: "c" })).map((d) => [d.key, d.status, d.lastError])).toEqual([["k2", "dead", "400 bad"]]);
    expect((await n.deliveries({ channel: "slack" })).map((d) => d.key)).toEqual(["k2", "k1"]);
    expect((await n.deliveries({ agent: "a" }))[1]).toMatchObject({ key: "k1", status: "delivered", attempts: 2, deliveredAt: clock.now(), lastError: null });
    expect(await n.deliveryCounts()).toEqual([
      { channel: "mail", delivered: 0, dropped: 0, failedAttempts: 0 },
      { channel: "slack", delivered: 1, dropped: 1, failedAttempts: 2 },
    ]);
  });

  it("silences are active until they end, and end by id or by pattern", async () => {
    const clock = new ManualClock();
    store = await PgStore.open({ url: await cluster.freshDatabase(), testClock: clock });
    const n = store.notify;
    const a = await n.addSilence({ pattern: "batch-*", untilMs: 60_000, reason: "maintenance", holdRestarts: true });
    const b = await n.addSilence({ pattern: "web-1", untilMs: 10_000 });
    expect(a).toMatchObject({ pattern: "batch-*", reason: "maintenance", createdAt: clock.now(), until: clock.now() + 60_000, holdRestarts: true });
    expect(b).toMatchObject({ reason: null, holdRestarts: false });
    expect((await n.activeSilences()).map((x) => x.id)).toEqual([b.id, a.id]);
    clock.advance(10_000);
    expect((await n.activeSilences()).map((x) => x.id)).toEqual([a.id]);
    expect(await n.removeSilences({ pattern: "web-1" })).toBe(0);
    expect(await n.removeSilences({ pattern: "batch-*" })).toBe(1);
    expect(await n.activeSilences()).toEqual([]);
    const c = await n.addSilence({ pattern: "x", untilMs: 1000 });
    expect(await n.removeSilences({ id: c.id })).toBe(1);
    expect(await n.activeSilences()).toEqual([]);
  });

  it("keeps an agent's activity from its heartbeat until a new one comes", async () => {
    store = await PgStore.open({ url: await cluster.freshDatabase() });
    const activity = { status: "running" as const, node: "work", step: 3, threadId: "t", runStartedAt: 1, lastProgressAt: 2, running: 1, lastRun: null };
    await store.updateHeartbeat("w", { activity });
    await store.updateHeartbeat("w");
    expect((await store.getAgent("w"))?.activity).toEqual(activity);
    await store.updateHeartbeat("w", { activity: { ...activity, status: "idle", running: 0 } });
    expect((await store.getAgent("w"))?.activity).toMatchObject({ status: "idle", running: 0 });
  });
});

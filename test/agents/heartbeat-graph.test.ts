/**
 * The heartbeat graph (init → loop → check → update → log → wait) on a real SQLite file, driven by
 * a ManualClock: registration, cycle counting, stale marking, one warning per newly stale agent,
 * recovery logging, and the maxCycles budget.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildGraph } from "../../graphs/heartbeat-health.js";
import { createAgentContext, type AgentContext } from "../../src/agents/context.js";
import { invokeConfig } from "../../src/agents/runtime/invoke-config.js";
import { loadConfig } from "../../src/config/index.js";
import type { SharedState } from "../../src/storage/sqlite/index.js";
import { captureLogger, type LogEntry } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

const SELF = "HeartbeatHealthAgent";
const T0 = 1_700_000_000_000;
const S = 1000;

let clock: ManualClock;
let store: SharedState;
let entries: LogEntry[];
let ctx: AgentContext;
let graph: ReturnType<typeof buildGraph>;

beforeEach(async () => {
  clock = new ManualClock(T0);
  store = await openTestStore({ clock });
  const captured = captureLogger(SELF);
  entries = captured.entries;
  ctx = createAgentContext({
    agentName: SELF,
    config: loadConfig({ HEARTBEAT_INTERVAL: "30", STALE_THRESHOLD: "120" }),
    store,
    clock,
    logger: captured.logger,
    sessionId: "session-1",
  });
  graph = buildGraph(await store.createCheckpointer());
});

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

const threadId = `heartbeat:${SELF}`;

/** One invocation of `cycles` cycles, with time jumping over each `wait`. */
async function run(cycles: number, sessionId = ctx.sessionId) {
  return clock.drive(graph.invoke({ maxCycles: cycles, sessionId }, invokeConfig({ ctx, threadId }) as never));
}

const warnings = () => entries.filter((e) => e.level === "warn");

describe("heartbeat graph", () => {
  it("init registers the monitor itself: initializing → active, and loop writes its heartbeat", async () => {
    const out = await run(1);
    expect(out.cycle).toBe(1);
    const self = await store.getAgent(SELF);
    expect(self).toMatchObject({ state: "active", heartbeats: 1 });
    const t = await store.getTransitions({ agent: SELF });
    expect(t.map((x) => [x.from, x.to])).toEqual([
      [null, "initializing"],
      ["initializing", "active"],
    ]);
    expect(entries.some((e) => e.level === "info" && /active/.test(e.message))).toBe(true);
  });

  it("loop counts cycles across invocations on one thread; maxCycles ends each run", async () => {
    expect((await run(3)).cycle).toBe(3);
    // the wait node slept one interval per cycle
    expect(clock.now()).toBe(T0 + 3 * 30 * S);
    expect((await graph.getState(invokeConfig({ ctx, threadId }) as never)).next).toEqual([]);
    expect((await run(2)).cycle).toBe(5);
    const self = await store.getAgent(SELF);
    expect(self?.heartbeats).toBe(5);
    // same session: registered once only
    expect(await store.getTransitions({ agent: SELF })).toHaveLength(2);
  });

  it("a new session registers again and continues the cycle count from the checkpoint", async () => {
    await run(2);
    const out = await run(1, "session-2");
    expect(out.cycle).toBe(3);
    const t = await store.getTransitions({ agent: SELF });
    expect(t.map((x) => x.to)).toEqual(["initializing", "active", "initializing", "active"]);
  });

  it("update marks stale agents; log warns once per newly stale agent; a recovered agent is logged", async () => {
    await store.updateHeartbeat("w1");
    await store.updateHeartbeat("w2");
    await run(1); // now T0+30s: nobody stale
    expect(warnings()).toEqual([]);

    clock.advance(100 * S); // T0+130s
    await store.updateHeartbeat("w2");
    const out = await run(1); // w1 is 130 s old > 120 s
    expect(out.newlyStale.map((a) => a.name)).toEqual(["w1"]);
    expect((await store.getAgent("w1"))?.state).toBe("stale");
    expect((await store.getAgent("w2"))?.state).toBe("active");
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toMatchObject({ module: "heartbeat", staleAgent: "w1", ageMs: 130 * S, thresholdMs: 120 * S });
    expect(warnings()[0]!.message).toMatch(/w1 is stale: no heartbeat for 130\.0s \(threshold 120s\)/);

    await run(2); // w1 still stale: no second warning
    expect(warnings()).toHaveLength(1);

    clock.advance(5 * S);
    await store.updateHeartbeat("w1"); // back: stale → active
    const back = await run(1);
    expect(back.recovered).toEqual(["w1"]);
    expect(entries.filter((e) => e.recoveredAgent === "w1")).toHaveLength(1);
    expect((await store.getAgent("w1"))?.state).toBe("active");
    expect((await store.getTransitions({ agent: "w1" })).map((x) => x.to)).toEqual(["active", "stale", "active"]);
  });

  it("a state written by an invocation is checkpointed: counters survive a fresh graph object", async () => {
    await run(4);
    const again = buildGraph(await store.createCheckpointer());
    const snap = await again.getState({ configurable: { thread_id: threadId } });
    expect((snap.values as { cycle: number }).cycle).toBe(4);
  });

  it("wait ends at once when the signal aborts, and the run then ends", async () => {
    const controller = new AbortController();
    ctx = { ...ctx, signal: controller.signal };
    const running = graph.invoke({ maxCycles: 1000, sessionId: ctx.sessionId }, invokeConfig({ ctx, threadId }) as never);
    // let it reach its first wait (time never advances), then abort
    while (clock.pendingSleeps === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const out = await running;
    expect(out.cycle).toBe(1);
    expect(clock.now()).toBe(T0);
  });

  it("signals: the monitor logs an agent's anomaly once when it starts and once when it ends", async () => {
    const MB = 1024 * 1024;
    const sample = (rss: number) => store.perf.record(clock.now(), [{ metric: "agent.rss_bytes", agent: "w1", value: rss * MB }]);
    const anomalyLines = () => entries.filter((e) => e.anomalyAgent === "w1").map((e) => `${e.level} ${e.message}`);
    for (let i = 0; i < 12; i++) {
      await sample(100 + (i % 2));
      await run(1);
    }
    for (let i = 0; i < 5; i++) {
      await sample(400);
      await run(1);
    }
    // the baseline moved a little during the first two outs (clipped learning)
    expect(anomalyLines()).toEqual([expect.stringMatching(/^warn anomaly: w1: RSS 400 MB, usually 10\d MB$/)]);
    await sample(100);
    await run(1);
    await run(1); // no new sample set: nothing observed twice
    expect(anomalyLines()).toEqual([expect.stringMatching(/^warn anomaly: w1/), expect.stringMatching(/^info anomaly over: w1: RSS 100 MB, usually 1\d\d MB: back to normal$/)]);
  });
});

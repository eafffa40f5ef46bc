/**
 * The cycle runner's lifecycle with a ManualClock: error → recovering (backoff) → active, failed
 * after RETRY_ATTEMPTS consecutive failures, resume of an interrupted cycle; and the
 * HeartbeatHealthAgent class (start/stop → stopped, checkAgentHealth, updateAgentStates, isAgentStale).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAgentContext, type AgentContext } from "../../src/agents/context.js";
import { HeartbeatHealthAgent } from "../../src/agents/heartbeat/agent.js";
import { AgentFailedError, runCycles, type RunnableGraph } from "../../src/agents/runtime/cycle-runner.js";
import { loadConfig } from "../../src/config/index.js";
import type { SharedState } from "../../src/storage/sqlite/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

const NAME = "worker";
const T0 = 1_700_000_000_000;
let clock: ManualClock;
let store: SharedState;
let controller: AbortController;
let ctx: AgentContext;

beforeEach(async () => {
  clock = new ManualClock(T0);
  store = await openTestStore({ clock });
  controller = new AbortController();
  ctx = createAgentContext({
    agentName: NAME,
    config: loadConfig({ HEARTBEAT_INTERVAL: "30", STALE_THRESHOLD: "120", RETRY_ATTEMPTS: "3", BACKOFF_FACTOR: "2" }),
    store,
    clock,
    logger: captureLogger(NAME).logger,
    signal: controller.signal,
    sessionId: "s",
  });
  await store.registerAgent(NAME);
  await store.updateAgentState(NAME, "active");
});

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

/** A five-line graph: each invoke runs the next scripted outcome; aborts once the script is done. */
function scriptedGraph(script: ("ok" | "fail")[], next: string[] = []): RunnableGraph & { inputs: unknown[] } {
  const inputs: unknown[] = [];
  return {
    inputs,
    getState: async () => ({ next, values: {} }),
    invoke: async (input) => {
      inputs.push(input);
      if (input === null) return {};
      const step = script.shift();
      if (script.length === 0) controller.abort();
      if (step === "fail") throw new Error("database on fire");
      return { cycle: inputs.length };
    },
  };
}

const story = async () => (await store.getTransitions({ agent: NAME })).slice(2).map((t) => `${t.from}→${t.to}`);

describe("runCycles lifecycle", () => {
  it("a failed cycle goes error → recovering after a backoff, and back to active on success", async () => {
    const graph = scriptedGraph(["ok", "fail", "fail", "ok", "ok"]);
    await clock.drive(runCycles({ ctx, graph, threadId: "t" }));
    expect(await story()).toEqual(["active→error", "error→recovering", "recovering→error", "error→recovering", "recovering→active"]);
    const rec = await store.getAgent(NAME);
    expect(rec).toMatchObject({ state: "active", errorCount: 2, lastError: "database on fire" });
    expect(rec?.stateReason).toMatch(/recovered after 2 failed cycle/);
    // backoff: min(1 s, interval) * 2^(n-1) → 1 s then 2 s
    expect(clock.now()).toBe(T0 + 1000 + 2000);
  });

  it("RETRY_ATTEMPTS consecutive failures end in failed with AgentFailedError", async () => {
    const graph = scriptedGraph(["fail", "fail", "fail", "ok"]);
    const e = await clock.drive(runCycles({ ctx, graph, threadId: "t" })).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AgentFailedError);
    expect((e as Error).message).toMatch(/failed 3 cycles in a row/);
    expect((await store.getAgent(NAME))?.state).toBe("failed");
    expect(await story()).toEqual(["active→error", "error→recovering", "recovering→error", "error→recovering", "recovering→error", "error→failed"]);
    expect((await store.getErrors({ agent: NAME })).length).toBe(3);
  });

  it("resumes an interrupted cycle first (invoke with null), then runs new cycles", async () => {
    const graph = scriptedGraph(["ok"], ["check"]);
    await clock.drive(runCycles({ ctx, graph, threadId: "t" }));
    expect(graph.inputs[0]).toBeNull();
    expect(graph.inputs[1]).toMatchObject({ maxCycles: 1, sessionId: "s" });
  });
});

describe("HeartbeatHealthAgent", () => {
  it("start() runs cycles until stop(); the agent is then stopped", async () => {
    const config = loadConfig({ HEARTBEAT_INTERVAL: "30", STALE_THRESHOLD: "120" });
    const agent = new HeartbeatHealthAgent({ config, store, clock, logger: captureLogger("m").logger });
    const running = agent.start();
    // let three cycles pass (each waits one interval), then stop
    while (agent.cycle < 3) {
      await new Promise((r) => setTimeout(r, 2));
      clock.advanceToNextSleep();
    }
    await agent.stop();
    await running;
    expect(agent.cycle).toBeGreaterThanOrEqual(3);
    expect(await store.getAgent(config.agentName)).toMatchObject({ state: "stopped", stateReason: "shutdown requested" });
  });

  it("checkAgentHealth, updateAgentStates and isAgentStale follow the threshold", async () => {
    const config = loadConfig({ HEARTBEAT_INTERVAL: "30", STALE_THRESHOLD: "120" });
    const agent = new HeartbeatHealthAgent({ config, store, clock, logger: captureLogger("m").logger });
    expect(agent.isAgentStale(T0 - 120_000)).toBe(false);
    expect(agent.isAgentStale(new Date(T0 - 120_001))).toBe(true);
    clock.advance(120_001);
    expect((await agent.checkAgentHealth()).sample.map((s) => s.name)).toEqual([NAME]);
    expect((await agent.updateAgentStates()).map((s) => s.name)).toEqual([NAME]);
    expect((await agent.checkAgentHealth()).count).toBe(0);
  });
});

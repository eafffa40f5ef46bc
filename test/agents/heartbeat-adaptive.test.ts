/**
 * The HeartbeatHealthAgent graph with DETECTION=adaptive on a real SQLite file and a ManualClock:
 * a fast agent is marked at its own bound (rule phi) instead of STALE_THRESHOLD, CHECK_INTERVAL
 * sets the monitor's cadence, the bound survives a monitor restart (it is in the database), and a
 * jump of the monitor's wall clock neither marks the fleet stale nor hides a dead agent for long.
 */
import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { buildGraph } from "../../graphs/heartbeat-health.js";
import { createAgentContext } from "../../src/agents/context.js";
import { invokeConfig } from "../../src/agents/runtime/invoke-config.js";
import { loadConfig } from "../../src/config/index.js";
import { captureLogger, type LogEntry } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

const SELF = "HeartbeatHealthAgent";
const S = 1000;

/** A ManualClock with a monotonic reading that a wall-clock jump does not move. */
class JumpingClock extends ManualClock {
  private mono = 0;
  override advance(ms: number): void {
    this.mono += ms;
    super.advance(ms);
  }
  monotonic(): number {
    return this.mono;
  }
  /** The wall clock alone moves (NTP step, VM resume). */
  jump(ms: number): void {
    super.advance(ms);
  }
}

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

async function monitor(env: Record<string, string>, path = join(makeTempDir(), "state.db"), clock = new JumpingClock()) {
  const store = await openTestStore({ clock, path });
  const captured = captureLogger(SELF);
  const config = loadConfig({ HEARTBEAT_INTERVAL: "30", STALE_THRESHOLD: "120", ...env });
  const ctx = createAgentContext({ agentName: SELF, config, store, clock, logger: captured.logger, sessionId: "s1" });
  const graph = buildGraph(await store.createCheckpointer());
  const run = (cycles: number) => clock.drive(graph.invoke({ maxCycles: cycles, sessionId: ctx.sessionId }, invokeConfig({ ctx, threadId: `heartbeat:${SELF}` }) as never));
  const warnings = (): LogEntry[] => captured.entries.filter((e) => e.level === "warn");
  return { store, clock, run, warnings, path };
}

/** `n` gaps of one second: enough history for phi. */
async function beatEverySecond(m: Awaited<ReturnType<typeof monitor>>, name: string, n = 10) {
  await m.store.updateHeartbeat(name);
  for (let i = 0; i < n; i++) {
    m.clock.advance(S);
    await m.store.updateHeartbeat(name);
  }
}

describe("heartbeat graph, DETECTION=adaptive", () => {
  it("checks every CHECK_INTERVAL and marks a 1 s agent within a few seconds, naming phi", async () => {
    const m = await monitor({ DETECTION: "adaptive", CHECK_INTERVAL: "1" });
    await beatEverySecond(m, "fast");
    const start = m.clock.now();
    await m.run(3); // 3 s of silence: not yet
    expect(m.clock.now() - start).toBe(3 * S);
    expect((await m.store.getAgent("fast"))?.state).toBe("active");
    await m.run(3); // checks at 3, 4 and 5 s: past mean + pause + 5.2 std-devs (about 4 s)
    const a = await m.store.getAgent("fast");
    expect(a?.state).toBe("stale");
    expect(a?.stateReason).toMatch(/^no heartbeat for 5\.0s \(rule phi: stale after 4\.0\d*s\)$/);
    expect(m.warnings().map((w) => w.message)).toEqual([expect.stringMatching(/fast is stale: no heartbeat for 5\.0s \(rule phi, threshold 120s\)/)]);
    expect(m.warnings()[0]).toMatchObject({ staleAgent: "fast", rule: "phi" });
  });

  it("DETECTION=fixed keeps the threshold for the same agent", async () => {
    const m = await monitor({ DETECTION: "fixed", CHECK_INTERVAL: "1" });
    await beatEverySecond(m, "fast");
    await m.run(10);
    expect((await m.store.getAgent("fast"))?.state).toBe("active");
  });

  it("a restarted monitor (a new connection to the same file) judges by the stored rhythm at once", async () => {
    const first = await monitor({ CHECK_INTERVAL: "1" });
    await beatEverySecond(first, "fast");
    await closeStores();
    const clock = new JumpingClock(first.clock.now());
    const second = await monitor({ CHECK_INTERVAL: "1" }, first.path, clock);
    await second.run(6);
    expect((await second.store.getAgent("fast"))?.stateReason).toMatch(/rule phi/);
  });

  it("a forward jump of the monitor's clock marks nobody; a dead agent is still found by its true silence", async () => {
    const m = await monitor({ CHECK_INTERVAL: "1" });
    await m.store.updateHeartbeat("slow"); // little history: the threshold decides
    await beatEverySecond(m, "fast");
    await m.run(1);
    m.clock.jump(200 * S); // every age looks 200 s older
    await m.run(1);
    expect(m.warnings().map((w) => w.message)).toEqual([expect.stringMatching(/clock jumped by 200\.0s; no agent is marked stale this check/)]);
    expect((await m.store.getAgent("slow"))?.state).toBe("active");
    await m.run(2);
    // fast has really been silent ~4 s: still not judged on the jumped ages; slow is 214 s "old" but 14 s silent
    expect((await m.store.getAgent("slow"))?.state).toBe("active");
    await m.run(4);
    expect((await m.store.getAgent("fast"))?.state).toBe("stale");
    expect((await m.store.getAgent("slow"))?.state).toBe("active");
  });
});

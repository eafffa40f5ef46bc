/**
 * The demo worker (src/supervisor/demo-worker.ts): its failure schedule, simulated for a day
 * against the supervisor's real RestartPolicy, never spends the restart budget and still shows a
 * hang and a crash within about a minute at HEARTBEAT_INTERVAL=2 STALE_THRESHOLD=8. That it exits
 * when its supervisor's IPC channel closes is the lifeline's test (lifeline.int.test.ts).
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { demoAgents } from "../../src/supervisor/agent-specs.js";
import { minFailureSpacingMs, parseDemoFailure, planFailure, type DemoFailure } from "../../src/supervisor/demo-worker.js";
import { RestartPolicy } from "../../src/supervisor/restart-policy.js";
import { mulberry32 } from "../helpers/random.js";


interface SimOptions {
  kind: DemoFailure;
  env: Record<string, string>;
  hours: number;
  random: () => number;
  /** Process start → active. */
  startupMs?: number;
}

/**
 * Runs one demo worker's lives through the supervisor's RestartPolicy (configured exactly as
 * Supervisor does): each life plans its failure from the restarts seen so far; a crash is detected
 * at once, a hang after the stale threshold plus up to one monitor cycle and one supervisor tick.
 */
function simulate(o: SimOptions) {
  const c = loadConfig({ AGENT_NAME: "DemoWorker-sim", ...o.env });
  const policy = new RestartPolicy({
    budget: c.restartBudget ?? 5, windowMs: c.restartWindowMs ?? 600_000, baseMs: Math.min(1000, c.heartbeatIntervalMs),
    factor: c.backoffFactor, maxMs: c.restartBackoffMaxMs ?? 60_000,
    stableAfterMs: Math.max(10 * c.heartbeatIntervalMs, 2 * c.staleThresholdMs),
  });
  const windowMs = c.restartWindowMs ?? 600_000;
  const restarts: number[] = [];
  let recent: number[] = [];
  let maxInWindow = 0;
  const firstFailure: number[] = [];
  let t = 0;
  while (t < o.hours * 3_600_000) {
    const activeAt = t + (o.startupMs ?? 3000);
    recent = recent.filter((r) => activeAt - r < windowMs);
    const failAt = planFailure({
      now: activeAt, staleThresholdMs: c.staleThresholdMs, restartBudget: c.restartBudget, restartWindowMs: c.restartWindowMs,
      recentRestarts: recent, random: o.random,
    });
    const detectedAt = o.kind === "crash" ? failAt : failAt + c.staleThresholdMs + o.random() * (c.heartbeatIntervalMs + 1000);
    if (firstFailure.length === 0) firstFailure.push(failAt, detectedAt);
    const d = policy.next("DemoWorker-sim", detectedAt, activeAt);
    if (d.action === "give-up") return { gaveUpAt: detectedAt, restarts, firstFailure, maxInWindow };
    restarts.push(detectedAt);
    recent.push(detectedAt);
    maxInWindow = Math.max(maxInWindow, recent.filter((r) => detectedAt - r < windowMs).length);
    t = detectedAt + d.delayMs;
  }
  return { gaveUpAt: undefined, restarts, firstFailure, maxInWindow };
}

describe("demo worker failure schedule", () => {
  const README = { HEARTBEAT_INTERVAL: "2", STALE_THRESHOLD: "8" };
  const randoms: Array<[string, () => number]> = [
    ["always lowest", () => 0],
    ["always highest", () => 0.999999],
    ...[1, 2, 3, 42, 2024].map((s): [string, () => number] => [`seed ${s}`, mulberry32(s)]),
  ];

  for (const kind of ["hang", "crash"] as const) {
    for (const [label, random] of randoms) {
      it(`${kind}, ${label}: a day at the README's settings and the default budget never ends failed`, () => {
        const r = simulate({ kind, env: README, hours: 24, random });
        expect(r.gaveUpAt).toBeUndefined();
        // one restart of headroom below the budget (5 in 600 s) for an unplanned restart
        expect(r.maxInWindow).toBeLessThanOrEqual(4);
        // and it keeps failing now and then: at least one failure every 250 s (225 s + detection)
        expect(r.restarts.length).toBeGreaterThan((24 * 3600) / 250);
        // the first failure shows within about a minute (2-4 stale thresholds after start-up)
        expect(r.firstFailure[0]! - 3000).toBeGreaterThanOrEqual(16_000);
        expect(r.firstFailure[0]! - 3000).toBeLessThanOrEqual(32_000);
        expect(r.firstFailure[1]! - 3000).toBeLessThanOrEqual(kind === "hang" ? 32_000 + 8000 + 3000 : 32_000);
      });
    }
  }

  it("stays within other budgets too (budget 1, 2, 10; short windows; default intervals)", () => {
    const cases: Record<string, string>[] = [
      { RESTART_BUDGET: "1" }, { RESTART_BUDGET: "2", RESTART_WINDOW: "60" }, { RESTART_BUDGET: "10", RESTART_WINDOW: "30" },
      { HEARTBEAT_INTERVAL: "30", STALE_THRESHOLD: "120" }, { HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "1", RESTART_WINDOW: "5" },
    ];
    for (const env of cases) {
      for (const kind of ["hang", "crash"] as const) {
        const r = simulate({ kind, env, hours: 12, random: mulberry32(7) });
        expect(r.gaveUpAt, `${kind} ${JSON.stringify(env)}`).toBeUndefined();
        expect(r.restarts.length, `${kind} ${JSON.stringify(env)}`).toBeGreaterThan(10);
      }
    }
  });

  it("spaces a failure after a restart by RESTART_WINDOW / (RESTART_BUDGET - 1), and assumes a fresh restart when the history is unknown", () => {
    expect(minFailureSpacingMs()).toBe(150_000);
    expect(minFailureSpacingMs(1, 600_000)).toBe(600_000);
    const base = { now: 1_000_000, staleThresholdMs: 8000, random: () => 0 };
    expect(planFailure({ ...base, recentRestarts: [] })).toBe(1_016_000);
    expect(planFailure({ ...base, recentRestarts: [900_000, 990_000] })).toBe(990_000 + 150_000);
    expect(planFailure({ ...base, recentRestarts: undefined })).toBe(1_000_000 + 150_000);
    // a restart long ago (outside the caller's window) does not delay the failure past the first-failure range
    expect(planFailure({ ...base, recentRestarts: [0] })).toBe(1_016_000);
    expect(planFailure({ ...base, random: () => 0.999999, recentRestarts: [990_000] })).toBeCloseTo(990_000 + 225_000, -1);
  });

  it("has one steady, one hanging and one crashing demo worker", () => {
    expect(demoAgents().map((a) => parseDemoFailure(a.env?.DEMO_FAILURE) ?? "none")).toEqual(["none", "hang", "crash"]);
    expect(() => parseDemoFailure("8-25")).toThrow(/DEMO_FAILURE/);
  });
});

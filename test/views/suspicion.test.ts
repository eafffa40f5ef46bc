import { describe, expect, it } from "vitest";
import { recordInterval, EMPTY_STATS, staleAfter, phiOptions } from "../../src/intelligence/index.js";
import type { AgentRecord } from "../../src/storage/index.js";
import { toSuspicionView } from "../../src/views/suspicion.js";

const T = 1_700_000_000_000;

function agent(gaps: number[]): AgentRecord {
  const s = gaps.reduce((acc, g) => recordInterval(acc, g), EMPTY_STATS);
  const bound = staleAfter(s, phiOptions({ staleThresholdMs: 120_000 })).ms;
  return { name: "w", lastHeartbeat: T, state: "active", history: { count: s.count, meanMs: s.meanMs, varianceMs2: s.varianceMs2, staleAfterMs: bound } } as AgentRecord;
}

describe("toSuspicionView", () => {
  it("phi grows with the silence and passes the threshold at the agent's own bound", () => {
    const a = agent(Array(10).fill(1000));
    const o = { staleThresholdMs: 120_000, phiThreshold: 8 };
    const early = toSuspicionView(a, T + 1000, o);
    const bound = early.staleAfterMs;
    expect(early).toMatchObject({ rule: "phi", meanIntervalMs: 1000, intervals: 10, phiThreshold: 8 });
    expect(early.phi).toBeLessThan(1);
    expect(toSuspicionView(a, T + bound - 100, o).phi).toBeLessThan(8);
    expect(toSuspicionView(a, T + bound + 100, o).phi).toBeGreaterThan(8);
  });

  it("little history: phi 0 and the fixed threshold", () => {
    expect(toSuspicionView(agent([1000, 1000]), T + 60_000, { staleThresholdMs: 120_000 })).toMatchObject({ phi: 0, rule: "fixed", staleAfterMs: 120_000, intervals: 2 });
  });

  it("DETECTION=fixed shows the threshold as the bound but still the phi", () => {
    const v = toSuspicionView(agent(Array(10).fill(1000)), T + 5000, { staleThresholdMs: 120_000, detection: "fixed" });
    expect(v).toMatchObject({ rule: "fixed", staleAfterMs: 120_000 });
    expect(v.phi).toBeGreaterThan(8);
  });

  it("a record without stored history (built outside a store) reads as no history", () => {
    const a = { name: "x", lastHeartbeat: T, state: "active" } as AgentRecord;
    expect(toSuspicionView(a, T + 10, { staleThresholdMs: 120_000 })).toMatchObject({ phi: 0, rule: "fixed", meanIntervalMs: null });
  });
});

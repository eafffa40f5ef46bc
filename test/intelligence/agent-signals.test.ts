/** One agent's five signals together: only a lasting change in one of them is reported, once. */
import { describe, expect, it } from "vitest";
import { errorsPerMinute, observeAgentSignals, type AgentSignals, type SignalSample } from "../../src/intelligence/index.js";
import { mulberry32 } from "../helpers/random.js";

const MB = 1024 * 1024;

describe("agent signals", () => {
  it("reports a lasting event-loop lag rise once, leaves the other signals alone, and survives JSON", () => {
    const rand = mulberry32(4);
    const beat = (lag: number): SignalSample => ({
      rssBytes: 150 * MB + rand() * 4 * MB, cpuPercent: 3 + rand(), eventLoopLagMs: lag + rand() * 2, writeLatencyMs: 1 + rand(), errorsPerMin: 0,
    });
    let state: AgentSignals = {};
    const started: string[] = [];
    for (let i = 0; i < 60; i++) {
      const u = observeAgentSignals(i === 30 ? JSON.parse(JSON.stringify(state)) as AgentSignals : state, beat(i >= 50 ? 80 : 3));
      state = u.state;
      started.push(...u.started.map((s) => `${i}:${s}`));
    }
    expect(started).toEqual(["52:eventLoopLagMs"]);
    expect(observeAgentSignals(state, beat(80)).anomalous).toEqual(["eventLoopLagMs"]);
  });

  it("ignores a lag wobble below the signal's absolute floor (3 ms → 7 ms)", () => {
    let state: AgentSignals = {};
    const flagged: number[] = [];
    for (let i = 0; i < 40; i++) {
      const u = observeAgentSignals(state, { eventLoopLagMs: i >= 20 ? 7 : 3 });
      state = u.state;
      if (u.started.length) flagged.push(i);
    }
    expect(flagged).toEqual([]);
  });

  it("updates only the signals a sample carries", () => {
    const u = observeAgentSignals({}, { cpuPercent: 5 });
    expect(Object.keys(u.state)).toEqual(["cpuPercent"]);
  });

  it("derives errors per minute from the cumulative count, and nothing across a reset or on the first beat", () => {
    expect(errorsPerMinute(10, 13, 30_000)).toBe(6);
    expect(errorsPerMinute(undefined, 3, 30_000)).toBeUndefined();
    expect(errorsPerMinute(10, 2, 30_000)).toBeUndefined();
    expect(errorsPerMinute(10, 12, 0)).toBeUndefined();
  });
});

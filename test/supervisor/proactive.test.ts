/**
 * PROACTIVE_RESTART=predicted's decision (src/supervisor/proactive-restarts.ts) with times passed in:
 * who is restarted and with which reason, one at a time, never the budget's last restart, never a
 * held agent, each refusal logged once; and RestartPolicy.remaining.
 */
import { describe, expect, it } from "vitest";
import type { AgentRecord, Silence } from "../../src/storage/index.js";
import type { AgentChild } from "../../src/supervisor/child.js";
import { restartPredicted, type ProactiveInput } from "../../src/supervisor/proactive-restarts.js";
import { RestartPolicy } from "../../src/supervisor/restart-policy.js";
import type { DegradingView } from "../../src/views/degrading.js";
import { captureLogger } from "../helpers/log-capture.js";

const NOW = 1_700_000_000_000;
const MIN = 60_000;

const record = (name: string, pid: number, state: AgentRecord["state"] = "active") => ({ name, pid, state, startedAt: NOW - 30 * MIN }) as AgentRecord;
const child = (name: string, pid: number, over: Partial<AgentChild> = {}) => ({ spec: { name }, pid, startedAt: NOW - 30 * MIN, activeAt: NOW - 29 * MIN, ...over }) as AgentChild;
const rising = (minutes: number, signal: DegradingView["signal"] = "rss"): DegradingView => ({
  signal, limit: 512, timeToLimitMs: minutes * MIN, soonestMs: minutes * MIN * 0.9, latestMs: minutes * MIN * 1.1, confidence: 0.98,
  text: `degrading: RSS will reach the limit in about ${minutes} min`,
});

function input(over: Partial<ProactiveInput> & { forecasts?: Record<string, DegradingView | null>; silences?: Silence[] } = {}) {
  const restarted: Array<[string, string]> = [];
  const { logger, entries } = captureLogger("supervisor");
  const own = over.own ?? new Map([["a", record("a", 11)], ["b", record("b", 12)]]);
  const i: ProactiveInput = {
    now: NOW, own, leadMs: 10 * MIN, waiting: new Map(), log: logger,
    children: over.children ?? new Map([...own.values()].map((r) => [r.name, child(r.name, r.pid!)])),
    degrading: async (a) => over.forecasts?.[a.name] ?? null,
    budgetLeft: () => 5,
    activeSilences: async () => over.silences ?? [],
    restart: (name, why) => restarted.push([name, why]),
    ...over,
  };
  return { i, restarted, entries };
}

describe("restartPredicted", () => {
  it("restarts the agent predicted to reach its limit within the lead, with the reason, and only one", async () => {
    const { i, restarted, entries } = input({ forecasts: { a: rising(6), b: rising(4, "eventLoopLag") } });
    expect(await restartPredicted(i)).toBe("a");
    expect(restarted).toEqual([["a", "predicted: RSS limit in 6 min"]]);
    expect(entries.filter((e) => e.level === "warn").map((e) => e.message)).toEqual([expect.stringMatching(/^a \(pid 11\) degrading: RSS will reach the limit in about 6 min: restarting it/)]);
  });

  it("leaves alone an agent whose limit is further off than the lead, or that is not degrading", async () => {
    const { i, restarted } = input({ forecasts: { a: rising(30), b: null } });
    expect(await restartPredicted(i)).toBeUndefined();
    expect(restarted).toEqual([]);
  });

  it("judges only a registered, active child of ours that is not already being stopped", async () => {
    const own = new Map([["gone", record("gone", 1)], ["other-pid", record("other-pid", 2)], ["starting", record("starting", 3, "initializing")], ["stopping", record("stopping", 4)], ["new", record("new", 5)]]);
    const children = new Map([
      ["other-pid", child("other-pid", 99)], ["starting", child("starting", 3)], ["stopping", child("stopping", 4, { stopReason: "stale" })],
      ["new", child("new", 5, { activeAt: undefined })],
    ]);
    const forecasts = Object.fromEntries([...own.keys()].map((n) => [n, rising(1)]));
    const { i, restarted } = input({ own, children, forecasts });
    expect(await restartPredicted(i)).toBeUndefined();
    expect(restarted).toEqual([]);
  });

  it("keeps the budget's last restart for a crash and respects --hold-restarts, logging each once", async () => {
    const silences = [{ id: 7, pattern: "b*", reason: null, createdAt: NOW - MIN, until: NOW + 60 * MIN, holdRestarts: true }];
    const { i, restarted, entries } = input({ forecasts: { a: rising(3), b: rising(3) }, silences, budgetLeft: (n) => (n === "a" ? 1 : 5) });
    expect(await restartPredicted(i)).toBeUndefined();
    expect(await restartPredicted(i)).toBeUndefined();
    expect(restarted).toEqual([]);
    expect(entries.filter((e) => e.level === "info").map((e) => e.message)).toEqual([
      expect.stringMatching(/^a is degrading .*only 1 restart\(s\) left in its budget, kept for a crash$/),
      expect.stringMatching(/^b is degrading .*silence 7 \(b\*\) holds its restarts until/),
    ]);
    i.budgetLeft = () => 5;
    expect(await restartPredicted(i)).toBe("a");
  });
});

describe("RestartPolicy.remaining", () => {
  it("counts the restarts left in the window", () => {
    const p = new RestartPolicy({ budget: 3, windowMs: 60_000, baseMs: 200, factor: 2, maxMs: 1000, stableAfterMs: 5_000 });
    expect(p.remaining("a", 0)).toBe(3);
    p.next("a", 1000, 0);
    p.next("a", 2000, 1500);
    expect(p.remaining("a", 3000)).toBe(1);
    expect(p.remaining("a", 61_500)).toBe(2);
    expect(p.remaining("b", 3000)).toBe(3);
  });
});

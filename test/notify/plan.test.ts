import { describe, expect, it } from "vitest";
import { emptyPlanState, plan, type PlanOptions, type PlanState } from "../../src/notify/plan.js";
import type { AgentState, Transition } from "../../src/storage/index.js";

let nextId = 1;
const tr = (agent: string, from: AgentState | null, to: AgentState, at: number, reason: string | null = null): Transition =>
  ({ id: nextId++, agent, from, to, at, reason });
const opts = (now: number, over: Partial<PlanOptions> = {}): PlanOptions => ({
  now, host: "h1", groupWindowMs: 5_000, flapWindowMs: 600_000, flapCount: 4, isSilenced: () => false, ...over,
});

describe("plan", () => {
  it("groups what arrives together into one message per event, naming every agent once", () => {
    const ts = ["a", "b", "c"].map((n) => tr(n, "active", "stale", 1_000, "no heartbeat for 125s"));
    const p = plan(ts, 0, emptyPlanState(), opts(10_000, { suspicion: "the database is suspected" }));
    expect(p.notifications).toHaveLength(1);
    const [n] = p.notifications;
    expect(n!.event).toBe("stale");
    expect(n!.title).toBe("3 agents stale: a, b, c");
    expect(n!.detail[0]).toBe("the database is suspected");
    expect(n!.changes.map((c) => c.agent)).toEqual(["a", "b", "c"]);
    expect(p.through).toBe(ts[2]!.id);
    expect(p.state.down).toEqual(["a", "b", "c"]);
  });

  it("waits for the group window before sending and leaves the cursor before the young ones", () => {
    const old = tr("a", "active", "stale", 1_000);
    const young = tr("b", "active", "stale", 9_000);
    const p = plan([old, young], 0, emptyPlanState(), opts(10_000));
    expect(p.notifications.map((n) => n.title)).toEqual(["a is stale"]);
    expect(p.through).toBe(old.id);
  });

  it("says recovered only for agents it said were down, through restart bookkeeping", () => {
    let state: PlanState = emptyPlanState();
    const fresh = [tr("new", null, "initializing", 0), tr("new", "initializing", "active", 10)];
    let p = plan(fresh, 0, state, opts(60_000));
    expect(p.notifications).toEqual([]);
    const down = [tr("w", "active", "stale", 100), tr("w", "stale", "recovering", 200), tr("w", "recovering", "initializing", 300), tr("w", "initializing", "active", 400)];
    p = plan(down.slice(0, 1), p.through, p.state, opts(60_000));
    expect(p.notifications.map((n) => n.event)).toEqual(["stale"]);
    state = p.state;
    p = plan(down.slice(1), p.through, state, opts(60_000));
    expect(p.notifications.map((n) => [n.event, n.title])).toEqual([["recovered", "w recovered"]]);
    expect(p.state.down).toEqual([]);
  });

  it("gives the same keys when the same transitions are planned again (after a crash)", () => {
    const ts = [tr("a", "active", "stale", 0), tr("b", "active", "failed", 0)];
    const one = plan(ts, 0, emptyPlanState(), opts(10_000)).notifications.map((n) => n.key);
    const two = plan(ts, 0, emptyPlanState(), opts(99_000)).notifications.map((n) => n.key);
    expect(one).toEqual(two);
    expect(new Set(one).size).toBe(2);
  });

  it("sends nothing for a silenced agent, and no recovery later for a down it did not tell of", () => {
    const ts = [tr("quiet", "active", "stale", 0), tr("loud", "active", "stale", 0)];
    const p = plan(ts, 0, emptyPlanState(), opts(10_000, { isSilenced: (a) => a === "quiet" }));
    expect(p.notifications.map((n) => n.title)).toEqual(["loud is stale"]);
    expect(p.state.down).toEqual(["loud"]);
    const back = plan([tr("quiet", "stale", "active", 20_000)], p.through, p.state, opts(30_000));
    expect(back.notifications).toEqual([]);
  });

  it("a flapping agent gets one flapping message, then one summary when it settles", () => {
    const ts: Transition[] = [];
    for (let i = 0; i < 6; i++) ts.push(tr("f", i % 2 ? "stale" : "active", i % 2 ? "active" : "stale", i * 60_000));
    let p = plan(ts, 0, emptyPlanState(), opts(6 * 60_000));
    const events = p.notifications.map((n) => n.event);
    // stale, recovered, stale (grouped by event: one stale message naming f once per group), then flapping
    expect(events.filter((e) => e === "flapping")).toHaveLength(1);
    expect(p.notifications.find((n) => n.event === "flapping")!.title).toMatch(/^f is flapping: 4 changes/);
    expect(p.state.flaps.f!.flapping).toBe(true);
    // still inside the window: nothing more
    p = plan([], p.through, p.state, opts(10 * 60_000));
    expect(p.notifications).toEqual([]);
    // steady for the whole window: one summary, and the state is forgotten
    p = plan([], p.through, p.state, opts(5 * 60_000 + 600_001));
    expect(p.notifications.map((n) => n.title)).toEqual([`f settled: active since ${new Date(5 * 60_000).toISOString()}`]);
    expect(p.state.flaps.f).toBeUndefined();
  });
});

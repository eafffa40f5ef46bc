/** Unit tests of the supervisor's pure parts: restart backoff/budget, and the restart-storm guard. */
import { describe, expect, it } from "vitest";
import { assessFleet, countFleet, silentAfterMs } from "../../src/supervisor/guard.js";
import { RestartPolicy } from "../../src/supervisor/restart-policy.js";

const policy = () => new RestartPolicy({ budget: 3, windowMs: 60_000, baseMs: 200, factor: 2, maxMs: 1000, stableAfterMs: 5_000 });

describe("RestartPolicy", () => {
  it("backs off by the factor, capped, and gives up past the budget within the window", () => {
    const p = policy();
    let t = 0;
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const d = p.next("a", (t += 100), t - 50);
      expect(d.action).toBe("restart");
      if (d.action === "restart") delays.push(d.delayMs);
    }
    expect(delays).toEqual([200, 400, 800]);
    expect(p.next("a", (t += 100), t - 50)).toEqual({ action: "give-up", inWindow: 3 });
    // once the window has passed, restarts are allowed again (backoff continues: no stable run)
    const later = p.next("a", t + 60_001, t + 60_000);
    expect(later).toMatchObject({ action: "restart", delayMs: 1000 });
  });

  it("resets the backoff after a stable run, and on reset()", () => {
    const p = policy();
    p.next("a", 1000, 900);
    p.next("a", 2000, 1900);
    expect(p.next("a", 20_000, 10_000)).toMatchObject({ action: "restart", attempt: 1, delayMs: 200 });
    p.reset("a");
    expect(p.next("a", 21_000, 20_900)).toMatchObject({ attempt: 1, inWindow: 1 });
    expect(p.next("b", 21_000, 20_900)).toMatchObject({ attempt: 1 });
  });
});

describe("assessFleet (restart-storm guard)", () => {
  const now = 100_000;
  const agent = (name: string, state: string, ageMs = 100) => ({ name, state, lastHeartbeat: now - ageMs });
  const silentAfter = silentAfterMs(1000, 200); // 500 ms
  const assess = (agents: ReturnType<typeof agent>[], extra: { dbWriteMs?: number; restarting?: Set<string> } = {}) =>
    assessFleet({
      now,
      staleThresholdMs: 1000,
      dbWriteMs: extra.dbWriteMs ?? 5,
      monitor: agents.find((a) => a.name === "M"),
      monitorRestarting: extra.restarting?.has("M"),
      fleet: countFleet(agents, now, silentAfter, new Set(["M", ...(extra.restarting ?? [])])),
    });

  it("trusts one stale agent out of three", () => {
    expect(assess([agent("M", "active"), agent("a", "stale", 5000), agent("b", "active"), agent("c", "active")]).suspect).toBeUndefined();
  });

  it("suspects the monitor or DB when more than half went stale at once", () => {
    expect(assess([agent("M", "active"), agent("a", "stale", 5000), agent("b", "stale", 5000), agent("c", "active")]).suspect)
      .toMatch(/2 of 3 agents went stale at once/);
  });

  it("counts agents about to go stale (frozen together, marked one sweep apart) as stale at once", () => {
    expect(silentAfter).toBe(500);
    expect(assess([agent("M", "active"), agent("a", "stale", 1000), agent("b", "active", 800), agent("c", "active", 100)]).suspect)
      .toMatch(/2 of 3 agents went stale at once/);
    expect(assess([agent("M", "active"), agent("a", "stale", 1000), agent("b", "active", 300), agent("c", "active", 100)]).suspect).toBeUndefined();
    expect(silentAfterMs(120_000, 30_000)).toBe(60_000);
    expect(silentAfterMs(1100, 1000)).toBe(1100); // never beyond the threshold itself
  });

  it("suspects when the monitor's own heartbeat is late, or the DB is slow to take a write", () => {
    expect(assess([agent("M", "active", 1500), agent("a", "stale", 5000)]).suspect).toMatch(/monitor's own heartbeat/);
    const slow = assess([agent("M", "active", 3000), agent("a", "active")], { dbWriteMs: 900 });
    expect(slow.suspect).toMatch(/database took 900 ms/);
    expect(slow.monitorHung).toBe(false);
  });

  it("calls the monitor hung when only it is silent and the DB answers", () => {
    expect(assess([agent("M", "active", 2500), agent("a", "active"), agent("b", "active")]).monitorHung).toBe(true);
  });

  it("does not count agents being restarted", () => {
    const v = assess([agent("M", "recovering", 9000), agent("a", "stale", 5000), agent("b", "active"), agent("c", "active")], { restarting: new Set(["a", "M"]) });
    expect(v.suspect).toBeUndefined();
    expect(v.monitorHung).toBe(false);
  });
});

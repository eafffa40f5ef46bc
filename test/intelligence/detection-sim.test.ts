/** The detection bench's simulator, on a small fleet: it must count what it claims (latency bounds, false alarms from a clock jump). */
import { describe, expect, it } from "vitest";
import { buildFleet, type FleetSpec } from "../../bench/detection/fleet.js";
import { simulate } from "../../bench/detection/simulate.js";

const S = 1000, MIN = 60 * S;
const spec: FleetSpec = {
  seed: 42, horizonMs: 60 * MIN, periods: [{ periodMs: 10 * S, count: 30 }], jitter: 0.5, deadShare: 0.5,
  stallShare: 0.3, stallMs: 2 * S, delay: { scaleMs: 1, shape: 1.5, capMs: 1000 }, clockJump: { atMs: 20 * MIN, byMs: 5 * MIN },
  lastDeathBeforeEndMs: 5 * MIN,
};
const monitor = { checkIntervalMs: 5 * S, staleThresholdMs: 50 * S };

describe("detection simulator", () => {
  const fleet = buildFleet(spec);

  it("builds heartbeats that respect the spec: ±50% jitter plus delay and stalls, stamps shifted after the jump", () => {
    for (const a of fleet) {
      for (let i = 1; i < a.writes.length; i++) {
        const gap = a.writes[i]! - a.writes[i - 1]!;
        expect(gap).toBeGreaterThanOrEqual(5 * S);
        expect(gap).toBeLessThanOrEqual(15 * S + 2 * S + 1000);
        expect(a.stamps[i]! - a.writes[i]!).toBeCloseTo(a.writes[i]! >= spec.clockJump!.atMs ? spec.clockJump!.byMs : 0, 3);
      }
      if (a.diedAtMs !== null) expect(a.writes[a.writes.length - 1]!).toBeLessThan(a.diedAtMs);
    }
    expect(fleet.some((a) => a.diedAtMs !== null)).toBe(true);
  });

  it("fixed rule: every dead agent found between STALE_THRESHOLD and STALE_THRESHOLD + CHECK_INTERVAL, no false alarm", () => {
    const out = simulate(spec, fleet, monitor, { label: "fixed", kind: "fixed", clockGuard: true });
    const dead = out.filter((o) => o.dead);
    expect(dead.length).toBeGreaterThan(5);
    for (const o of dead) {
      expect(o.latencyMs).toBeGreaterThan(50 * S);
      expect(o.latencyMs).toBeLessThanOrEqual(55 * S);
    }
    expect(out.reduce((n, o) => n + o.falseAlarms, 0)).toBe(0);
  });

  it("adaptive: earlier than the fixed rule for every dead agent; the clock jump raises false alarms only without the guard", () => {
    const guarded = simulate(spec, fleet, monitor, { label: "a", kind: "adaptive", clockGuard: true });
    const unguarded = simulate(spec, fleet, monitor, { label: "b", kind: "adaptive", clockGuard: false });
    for (const o of guarded.filter((x) => x.dead)) expect(o.latencyMs).toBeLessThan(50 * S);
    expect(guarded.reduce((n, o) => n + o.falseAlarms, 0)).toBe(0);
    const alive = fleet.filter((a) => a.diedAtMs === null || a.diedAtMs > spec.clockJump!.atMs).length;
    expect(unguarded.reduce((n, o) => n + o.falseAlarms, 0)).toBe(alive);
  });
});

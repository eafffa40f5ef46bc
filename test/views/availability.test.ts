/**
 * Availability against a hand-computed history (hours after B): figures worked out on paper in
 * the comments, so a change in how time counts shows up as a wrong number here.
 */
import { describe, expect, it } from "vitest";
import type { AgentState } from "../../src/storage/index.js";
import { computeAvailability, monitorOutages } from "../../src/views/availability.js";

const H = 3_600_000;
const B = Date.UTC(2026, 10, 1);
const at = (h: number) => B + h * H;
const history = (steps: [number, AgentState][]) => steps.map(([h, to]) => ({ at: at(h), to }));

const agent = history([
  [0, "initializing"], // registered: not counted until active
  [1, "active"],
  [5, "stale"], // outage A 5→7 (2 h), through recovering and initializing (a restart)
  [6, "recovering"],
  [6.5, "initializing"],
  [7, "active"],
  [10, "error"], // outage B 10→14 (4 h), silenced 11→13: 2 h of it count
  [14, "active"],
  [18, "stopped"], // stopped by an operator and started again: 18→19.5 not counted
  [19, "initializing"],
  [19.5, "active"],
  [22, "stale"], // outage C 22→25 (3 h); the monitor was down 21→23: 2 h of it count
  [25, "active"],
  [28, "failed"], // outage D 28→now, still going
]);
const monitor = history([[0, "initializing"], [0.1, "active"], [21, "stale"], [23, "initializing"], [23.1, "active"]]);
const now = at(30);

describe("computeAvailability", () => {
  const a = computeAvailability({
    transitions: agent,
    now,
    silenced: [{ start: at(11), end: at(13) }],
    monitorDown: monitorOutages(monitor, now),
    windowsMs: [12 * H, 24 * H, 48 * H],
    strip: { bars: 6, barMs: 5 * H },
  });

  it("finds the monitor's outage in its transitions", () => {
    expect(monitorOutages(monitor, now)).toEqual([{ start: at(21), end: at(23) }]);
  });

  it("counts up over up + down, leaving out silenced time, the monitor's outage, stops and the first start-up", () => {
    const [w12, w24, w48] = a.windows;
    // 48 h (all of it): up 4 + 3 + 4 + 1.5 + 3 = 15.5 h; down A 2 + B 2 + C 2 + D 2 = 8 h
    expect(w48).toEqual({ windowMs: 48 * H, upMs: 15.5 * H, downMs: 8 * H, uptimePercent: 65.957, outages: 4, mttrMs: 3 * H });
    // 24 h (from 6): up 3 + 4 + 1.5 + 3 = 11.5 h; down 1 (A's end) + 2 + 2 + 2 = 7 h; MTTR of A, B, C = (2 + 4 + 3) / 3
    expect(w24).toEqual({ windowMs: 24 * H, upMs: 11.5 * H, downMs: 7 * H, uptimePercent: 62.162, outages: 4, mttrMs: 3 * H });
    // 12 h (from 18): up 1.5 + 3 = 4.5 h; down C 2 + D 2 = 4 h; only C ended
    expect(w12).toEqual({ windowMs: 12 * H, upMs: 4.5 * H, downMs: 4 * H, uptimePercent: 52.941, outages: 2, mttrMs: 3 * H });
  });

  it("reports the last outage, still open", () => {
    expect(a.lastOutage).toEqual({ start: at(28), end: null, durationMs: 2 * H });
  });

  it("colours each bar of the strip by the worst counted state in it", () => {
    expect(a.strip.map((b) => [(b.start - B) / H, b.state, b.upPercent])).toEqual([
      [0, "up", 100], // 1→5 up (0→1 first start-up not counted)
      [5, "down", 60], // 2 down, 3 up
      [10, "down", 33.333], // 4 error − 2 silenced = 2 down, 1 up
      [15, "up", 100], // 3 up, stop, 0.5 up
      [20, "down", 33.333], // 1 up, 21→23 monitor down, 2 down
      [25, "down", 60], // 3 up, 2 failed
    ]);
  });
});

describe("computeAvailability edge cases", () => {
  const strip = { bars: 4, barMs: H };
  const now4 = at(4);

  it("names bars where nothing counted: before registration, silenced, monitor down", () => {
    const a = computeAvailability({
      transitions: history([[1, "active"]]),
      now: now4,
      silenced: [{ start: at(2), end: at(3) }],
      monitorDown: [{ start: at(3), end: at(4) }],
      strip,
    });
    expect(a.strip.map((b) => b.state)).toEqual(["none", "up", "silenced", "unknown"]);
    expect(a.windows[0]).toMatchObject({ upMs: H, downMs: 0, uptimePercent: 100, outages: 0, mttrMs: null });
    expect(a.lastOutage).toBeNull();
  });

  it("does not count time twice when a silence and a monitor outage overlap", () => {
    const a = computeAvailability({
      transitions: history([[0, "stale"]]),
      now: now4,
      silenced: [{ start: at(1), end: at(3) }, { start: at(2.5), end: at(3.5) }],
      monitorDown: [{ start: at(2), end: at(3) }],
      strip,
    });
    // 0→1 and 3.5→4 count as down; 1→3.5 is excluded once
    expect(a.windows[0]).toMatchObject({ upMs: 0, downMs: 1.5 * H, uptimePercent: 0 });
    expect(a.lastOutage).toEqual({ start: at(0), end: null, durationMs: 4 * H });
  });

  it("has no figures for an agent never seen", () => {
    const a = computeAvailability({ transitions: [], now: now4, strip });
    expect(a.windows.map((w) => w.uptimePercent)).toEqual([null, null, null]);
    expect(a.strip.every((b) => b.state === "none")).toBe(true);
  });

  it("ends an outage when the agent is stopped", () => {
    const a = computeAvailability({ transitions: history([[0, "active"], [1, "failed"], [2, "stopped"]]), now: now4, strip });
    expect(a.lastOutage).toEqual({ start: at(1), end: at(2), durationMs: H });
    expect(a.windows[0]).toMatchObject({ upMs: H, downMs: H, uptimePercent: 50, mttrMs: H });
  });
});

/** The monitor notices its own clock jumping and takes the jump out of heartbeat ages. */
import { describe, expect, it } from "vitest";
import { correctedAgeMs, observeClocks, recentForwardJumpsMs, startClockWatch } from "../../src/intelligence/index.js";

const T = 1_800_000_000_000;

describe("clock-jump guard", () => {
  it("sees nothing when wall and monotonic time move together (within the tolerance)", () => {
    const t = observeClocks(startClockWatch(T, 0), T + 30_400, 30_000);
    expect(t).toMatchObject({ jumpedByMs: 0, hold: false });
    expect(t.state.jumps).toEqual([]);
  });

  it("holds the check after a forward jump and removes it from older heartbeats' ages only", () => {
    let s = startClockWatch(T, 0);
    s = observeClocks(s, T + 1000, 1000).state;
    const tick = observeClocks(s, T + 2000 + 3_600_000, 2000); // 1 h forward between two 1 s checks
    expect(tick.hold).toBe(true);
    expect(tick.jumpedByMs).toBe(3_600_000);
    const wall = T + 2000 + 3_600_000;
    expect(correctedAgeMs(tick.state, T + 500, wall)).toBe(1500); // stamped before: true age
    expect(correctedAgeMs(tick.state, wall - 200, wall)).toBe(200); // stamped after: as is
    const next = observeClocks(tick.state, wall + 1000, 3000);
    expect(next.hold).toBe(false);
    expect(correctedAgeMs(next.state, T + 500, wall + 1000)).toBe(2500);
  });

  it("treats a backward jump as a hold, never as a reason to call anyone stale", () => {
    const tick = observeClocks(startClockWatch(T, 0), T - 60_000, 1000);
    expect(tick).toMatchObject({ hold: true, jumpedByMs: -61_000 });
    expect(correctedAgeMs(tick.state, T, T - 60_000)).toBe(0); // a stamp from the future has age 0
  });

  it("discounts a forward jump for one window of monotonic time, even when the clock is set back within it", () => {
    let s = observeClocks(startClockWatch(T, 0), T + 1000 + 3_600_000, 1000).state; // +1 h at mono 1 s
    expect(recentForwardJumpsMs(s, 1000, 4000)).toBe(3_600_000);
    s = observeClocks(s, T + 3000, 3000).state; // and back by 1 h at mono 3 s
    expect(recentForwardJumpsMs(s, 3000, 4000)).toBe(3_600_000);
    // the wall clock is now an hour before the forward jump's wall time; the window still closes
    expect(recentForwardJumpsMs(s, 5000, 4000)).toBe(0);
    expect(recentForwardJumpsMs(s, 60_000, 4000)).toBe(0);
  });

  it("remembers at most maxJumps jumps", () => {
    let s = startClockWatch(T, 0);
    for (let i = 1; i <= 5; i++) s = observeClocks(s, T + i * 100_000, i * 1000, { maxJumps: 3 }).state;
    expect(s.jumps).toHaveLength(3);
  });
});

/**
 * SQLite measures ages on this host's clock: a sweep given the wall reading the monitor's clock
 * guard judged (`nowMs`) takes ages at it, so a jump landing between the guard and the sweep ages nobody.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ManualClock } from "../../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("stale sweep at the guard's wall reading", () => {
  for (const detection of ["fixed", "adaptive"] as const) {
    it(`${detection}: a jump after the reading marks nobody; the store's own clock would have`, async () => {
      const clock = new ManualClock(1_800_000_000_000);
      const store = await openTestStore({ path: join(makeTempDir(), "state.db"), clock });
      await store.registerAgent("worker");
      await store.updateAgentState("worker", "active");
      clock.advance(1000);
      await store.updateHeartbeat("worker");
      const judged = clock.now();
      clock.advance(3_600_000); // the wall clock jumps after the guard read it
      expect(await store.findStaleAgents(5000, 10, { detection, nowMs: judged })).toMatchObject({ count: 0 });
      expect(await store.markStaleAgents(5000, { detection, nowMs: judged })).toEqual([]);
      expect((await store.getAgent("worker"))!.state).toBe("active");
      expect((await store.markStaleAgents(5000, { detection })).map((a) => a.name)).toEqual(["worker"]);
    });
  }
});

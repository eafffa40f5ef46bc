/** SQLite's lease: one monitor per file (the instance lock), so every request is granted and the members are the ones seen here. */
import { describe, expect, it } from "vitest";
import { SoleLeader } from "../../../src/storage/sqlite/sole-leader.js";
import { ManualClock } from "../../helpers/manual-clock.js";

describe("SoleLeader", () => {
  it("grants every request at epoch 1 and lists the members seen within the window", async () => {
    const clock = new ManualClock(1000);
    const lease = new SoleLeader(clock);
    expect(await lease.tryLease("monitor", { holder: "a", host: "h", pid: 1, agent: "m" }, 500)).toEqual({ epoch: 1 });
    expect((await lease.leaseMembers("monitor", 1000)).map((m) => [m.holder, m.role])).toEqual([["a", "leader"]]);
    clock.advance(2000);
    expect(await lease.leaseMembers("monitor", 1000)).toEqual([]);
    await lease.tryLease("monitor", { holder: "a", host: "h", pid: 1, agent: "m" }, 500);
    await lease.releaseLease("monitor", "a");
    expect(await lease.leaseMembers("monitor", 1000)).toEqual([]);
  });
});

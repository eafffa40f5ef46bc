/**
 * HostLock on a real PostgreSQL server: one supervisor per host and database. A second one for the
 * same host is refused naming the holder, another host is not; a holder SIGKILLed on this machine
 * (its pid gone, same pid space) is taken over at once, one in another pid space is not; a release
 * frees the host; a lock whose lease another took reports it lost; readSupervisors sees a host's
 * supervisor running while its lease runs, and gone after.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { pidSpaceId } from "../../src/process/index.js";
import { PgStore } from "../../src/storage/postgres/index.js";
import { HostLock, isSupervisorRunningError, readSupervisors, supervisorLease } from "../../src/supervision/index.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { startCluster, type PgCluster } from "../helpers/postgres.js";

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());

const TTL = 60_000;
const options = (store: PgStore, host: string, onLost: (why: string) => void = () => undefined) => ({ store, host, ttlMs: TTL, where: "the test database", onLost });
const goneCause = async (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);
/** A pid that was ours a moment ago and is gone now. */
const deadPid = () => spawnSync("true").pid!;

describe("HostLock: a supervisor per host and PostgreSQL database", () => {
  it("refuses a second supervisor for the same host, naming the holder; another host gets its own; release frees the host", async () => {
    const store = await PgStore.open({ url: await cluster.freshDatabase() });
    try {
      const a = await HostLock.acquire(options(store, "box-a"));
      const e = await goneCause(HostLock.acquire(options(store, "box-a")));
      expect(isSupervisorRunningError(e)).toBe(true);
      expect((e as Error).message).toMatch(new RegExp(`^Another supervisor already runs on host box-a of the test database \\(pid ${process.pid} on box-a, last seen `));
      const b = await HostLock.acquire(options(store, "box-b"));
      await a.release();
      const again = await HostLock.acquire(options(store, "box-a"));
      await Promise.all([again.release(), b.release()]);
    } finally {
      await store.close();
    }
  });

  it("takes over at once from a holder whose process is gone in this pid space, never from one in another", async () => {
    const store = await PgStore.open({ url: await cluster.freshDatabase() });
    try {
      const pid = deadPid();
      await store.tryLease(supervisorLease("box-a"), { holder: `box-a/${pidSpaceId()}/${pid}/old`, host: "box-a", pid, agent: "supervisor" }, TTL);
      const taken = await HostLock.acquire(options(store, "box-a"));
      expect((await store.leaseMembers(supervisorLease("box-a"), TTL)).map((m) => [m.holder, m.role])).toEqual([[taken.holder, "leader"]]);
      await taken.release();

      await store.tryLease(supervisorLease("box-b"), { holder: `box-b/another-machine/${pid}/old`, host: "box-b", pid, agent: "supervisor" }, TTL);
      expect(isSupervisorRunningError(await goneCause(HostLock.acquire(options(store, "box-b"))))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("reports the lock lost when another supervisor holds the host's lease (this one was paused past it)", async () => {
    const store = await PgStore.open({ url: await cluster.freshDatabase() });
    try {
      const lost: string[] = [];
      const lock = await HostLock.acquire(options(store, "box-a", (why) => lost.push(why)));
      await lock.renew();
      expect(lost).toEqual([]);
      await store.releaseLease(supervisorLease("box-a"), lock.holder); // what the lease running out amounts to
      expect(await store.tryLease(supervisorLease("box-a"), { holder: "box-a/elsewhere/1/new", host: "box-a", pid: 1, agent: "supervisor" }, TTL)).not.toBeNull();
      await lock.renew();
      expect(lost).toEqual([expect.stringMatching(/^another supervisor took over host box-a/)]);
      await lock.release();
    } finally {
      await store.close();
    }
  });

  it("readSupervisors: a host's supervisor runs while its lease does, and is gone (last seen) after", async () => {
    const clock = new ManualClock(5_000_000);
    const url = await cluster.freshDatabase();
    const store = await PgStore.open({ url, testClock: clock });
    try {
      const config = loadConfig({ DATABASE_URL: url });
      await store.fleet.setSystemState("supervisor@box-a", { pid: 11, host: "box-a", startedAt: 1, agents: ["w@box-a"], children: [] });
      expect(await readSupervisors(store, config)).toEqual([expect.objectContaining({ host: "box-a", running: false, agents: [], seenAt: undefined })]);
      await store.tryLease(supervisorLease("box-a"), { holder: "box-a/x/11/n", host: "box-a", pid: 11, agent: "supervisor" }, 1000);
      expect(await readSupervisors(store, config)).toEqual([expect.objectContaining({ host: "box-a", running: true, pid: 11, agents: ["w@box-a"], seenAt: 5_000_000 })]);
      clock.advance(1001);
      expect(await readSupervisors(store, config)).toEqual([expect.objectContaining({ host: "box-a", running: false, agents: [], seenAt: 5_000_000 })]);
    } finally {
      await store.close();
    }
  });
});

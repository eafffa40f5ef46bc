/**
 * The restart-storm guard with real processes: another process holds the state DB's write lock
 * (flock + an open BEGIN IMMEDIATE) for several STALE_THRESHOLDs. Every agent's heartbeat stalls,
 * so stale marks say nothing about the agents: the supervisor must suspect the monitor/database,
 * say so in its log, and restart nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freezeOutsideTheLock } from "../helpers/freeze.js";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { sleep, waitFor } from "../helpers/wait.js";
import { describeFleet, killFleets, pidAlive, startFleet, supervisorLog, SYSTEM_AGENTS, waitActive, type Fleet } from "../helpers/fleet.js";

describe("mass-staleness guard", () => {
  let f: Fleet;

  beforeAll(async () => {
    f = await startFleet({ env: { LOCK_TIMEOUT: "30" } });
  }, 90_000);

  afterAll(async () => {
    await killChildren();
    await killFleets();
    removeTempDirs();
  });

  it("does not restart anything while the database is frozen, and logs why", async () => {
    const before = await waitActive(f, SYSTEM_AGENTS);
    const freezeAt = Date.now();
    const holder = spawnTs("test/fixtures/lock-holder.ts", { env: { DB: f.db } });
    await holder.waitForLine(/holding \d+/, 30_000);
    const suspicion = await waitFor(() => supervisorLog(f).find((l) => /suspecting the monitor or the database, restarting nothing/.test(String(l.message))),
      { timeoutMs: 20_000, message: "supervisor logs its suspicion" });
    expect(String(suspicion.message)).toMatch(/database took \d+ ms|monitor's own heartbeat is [\d.]+s old|agents went stale at once/);
    await sleep(3_000); // frozen for 3+ STALE_THRESHOLDs in all
    holder.kill("SIGKILL");
    await holder.exited;

    // the fleet comes back by itself: same processes, no restart
    const after = await waitActive(f, SYSTEM_AGENTS, 60_000);
    await waitFor(() => supervisorLog(f).some((l) => /healthy again/.test(String(l.message))), { timeoutMs: 20_000 });
    await sleep(3_500); // past the quiet period (2 × STALE_THRESHOLD + 2 × HEARTBEAT_INTERVAL): a late restart would show up now
    const final = await waitActive(f, SYSTEM_AGENTS, 60_000);
    for (const n of SYSTEM_AGENTS) {
      expect(final.get(n)!.pid, `${n}\n${await describeFleet(f)}`).toBe(before.get(n)!.pid);
      expect(final.get(n)!.restarts, n).toBe(before.get(n)!.restarts);
    }
    for (const n of SYSTEM_AGENTS) expect(after.get(n)!.pid, `${n} came back as the same process`).toBe(before.get(n)!.pid);
    const restarts = supervisorLog(f).filter((l) => /killing it for a restart|; restart \d+ in/.test(String(l.message)));
    expect(restarts).toEqual([]);
    // what the monitor saw during the freeze (for the record; not every run catches a mark)
    const marked = (await f.store.getTransitions({ since: freezeAt, to: "stale" })).map((t) => t.agent);
    console.log(`stale marks during the freeze: ${marked.join(", ") || "none"}`);
  }, 150_000);

  it("restarts nothing when more than half of the agents go stale at once, and logs why", async () => {
    const before = await waitActive(f, SYSTEM_AGENTS, 60_000);
    const since = Date.now();
    const logFrom = supervisorLog(f).length;
    const frozen = ["PerformanceMonitorAgent", "LangSmithBridgeAgent"].map((n) => before.get(n)!.pid!);
    for (const p of frozen) await freezeOutsideTheLock(p, `${f.db}.lock`);
    try {
      await waitFor(async () => (await f.store.getTransitions({ since, to: "stale" })).length >= 2, { timeoutMs: 20_000, message: "both marked stale" })
        .catch(async (e: Error) => {
          throw new Error(`${e.message}\n${await describeFleet(f)}`);
        });
      const why = await waitFor(() => supervisorLog(f).slice(logFrom).find((l) => /restarting nothing: .*2 of 3 agents went stale at once/.test(String(l.message))),
        { timeoutMs: 10_000, message: "supervisor logs the mass staleness" });
      expect(why.level).toBe("warn");
      await sleep(2_000); // well past the point where a lone stale agent is killed
    } finally {
      for (const p of frozen) if (pidAlive(p)) process.kill(p, "SIGCONT"); // a killed one fails the checks below
    }
    const final = await waitActive(f, SYSTEM_AGENTS, 60_000);
    await sleep(3_500); // past the quiet period (2 × STALE_THRESHOLD + 2 × HEARTBEAT_INTERVAL)
    for (const n of SYSTEM_AGENTS) {
      expect(final.get(n)!.pid, `${n}\n${await describeFleet(f)}`).toBe(before.get(n)!.pid);
      expect((await f.store.getAgent(n))!.restarts, n).toBe(before.get(n)!.restarts);
    }
    expect(supervisorLog(f).slice(logFrom).filter((l) => /killing it for a restart/.test(String(l.message)))).toEqual([]);
  }, 120_000);
});

/**
 * The supervisor record as its readers see it (parseSupervisorRecord, monitorNameFor,
 * readSupervision over a five-line fake), the restart rule (assertRestartable and its typed
 * refusals), and the instance lock's check, which creates no file.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SYSTEM_KEYS } from "../../src/storage/index.js";
import {
  AgentNameTakenError, assertRestartable, InstanceLock, isAgentNameTakenError, namesTakenElsewhere, isAgentNotSupervisedError, isNoSupervisorError, isSupervisorGoneError, isSupervisorRunningError, monitorNameFor,
  parseSupervisorRecord, readSupervision, supervisionOf, supervisorLockPath, type SystemStateReader,
} from "../../src/supervision/index.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(() => removeTempDirs());

const record = { pid: 4321, host: "box", startedAt: 1, agents: ["HeartbeatHealthAgent", "Worker"], children: [{ name: "Worker", pid: 99 }], monitor: "HeartbeatHealthAgent" };
const stateWith = (value: unknown): SystemStateReader => ({
  getSystemState: async <T>(key: string) => (key === SYSTEM_KEYS.supervisor ? (value as T) : undefined),
});

describe("the supervisor record", () => {
  it("reads a record and drops fields of the wrong type", () => {
    expect(parseSupervisorRecord(record)).toEqual(record);
    expect(parseSupervisorRecord({ pid: "x", agents: ["a", 3, null], children: [{ name: "a" }, { name: "b", pid: 2 }], monitor: 7 }))
      .toEqual({ pid: 0, host: "", startedAt: 0, agents: ["a"], children: [{ name: "b", pid: 2 }] });
    for (const v of [undefined, null, "text", 5]) expect(parseSupervisorRecord(v)).toBeUndefined();
  });

  it("names the monitor the supervisor runs, else the fallback (AGENT_NAME)", () => {
    expect(monitorNameFor(parseSupervisorRecord(record), "something-else")).toBe("HeartbeatHealthAgent");
    expect(monitorNameFor(parseSupervisorRecord({ ...record, monitor: undefined }), "Watcher")).toBe("Watcher");
    expect(monitorNameFor(undefined, "Watcher")).toBe("Watcher");
  });

  it("lists the agents only while a supervisor runs, and keeps the last pid when none does", async () => {
    const dir = makeTempDir("bga-supervision-");
    const db = join(dir, "state.db");
    expect(await readSupervision(stateWith(record), db)).toMatchObject({ running: false, pid: 4321, agents: [] });
    const lock = InstanceLock.acquire(db);
    try {
      expect(await readSupervision(stateWith(record), db)).toMatchObject({ running: true, pid: 4321, agents: ["HeartbeatHealthAgent", "Worker"] });
    } finally {
      lock.release();
    }
    expect(await readSupervision(stateWith(undefined), ":memory:")).toEqual({ running: false, pid: undefined, agents: [], record: undefined });
  });
});

describe("assertRestartable", () => {
  const running = supervisionOf(parseSupervisorRecord(record), true);
  const pushy = { name: "pushy", pid: 4242, host: "py-host" };

  it("returns the named agents, or every supervised one when none is named", () => {
    expect(assertRestartable(running, [{ name: "Worker", pid: 99, host: "box" }])).toEqual(["Worker"]);
    expect(assertRestartable(running, [])).toEqual(["HeartbeatHealthAgent", "Worker"]);
  });

  it("refuses every request when no supervisor runs", () => {
    const e = catchError(() => assertRestartable(supervisionOf(parseSupervisorRecord(record), false), [pushy]));
    expect(isNoSupervisorError(e)).toBe(true);
    expect(e).toMatchObject({ code: "NO_SUPERVISOR", names: ["pushy"] });
    expect((e as Error).message).toBe("No supervisor is running on this database, so nothing would serve a restart request; none was recorded. " +
      "Start the fleet with bg-agents start, or restart pushy where it runs.");
  });

  it("refuses the whole request when one named agent is not supervised, saying where it runs", () => {
    const e = catchError(() => assertRestartable(running, [{ name: "Worker", pid: 99, host: "box" }, pushy, { name: "gone", pid: null, host: null }]));
    expect(isAgentNotSupervisedError(e)).toBe(true);
    expect(e).toMatchObject({ code: "AGENT_NOT_SUPERVISED", names: ["pushy", "gone"] });
    expect((e as Error).message).toBe("pushy, gone are not supervised: the running supervisor (pid 4321) does not run them, so a restart request " +
      "would never be served; nothing was requested. Restart them where they run (pushy: pid 4242 on py-host), or remove the record of an " +
      "agent that is gone for good: bg-agents cleanup-stale. The supervisor runs: HeartbeatHealthAgent, Worker.");
    expect((e as { short: string }).short).toBe("pushy is not supervised: the running supervisor (pid 4321) does not run it, so a restart request " +
      "would never be served; none was recorded. Restart it where it runs (pid 4242 on py-host).");
  });
});

describe("assertRestartable with a supervisor per host (PostgreSQL)", () => {
  const onHost = (host: string, running: boolean, agents: string[], seenAt?: number) =>
    ({ ...supervisionOf(parseSupervisorRecord({ ...record, host, agents }), running), host, seenAt });
  const a = onHost("box-a", true, ["HeartbeatHealthAgent@box-a", "wa"]);
  const w = (name: string) => ({ name, pid: 1, host: null });

  it("serves an agent through the running supervisor of its host; a bare request means every running host's agents", () => {
    const b = onHost("box-b", true, ["HeartbeatHealthAgent@box-b", "wb"]);
    expect(assertRestartable([a, b], [w("wb")])).toEqual(["wb"]);
    expect(assertRestartable([a, b], [])).toEqual(["HeartbeatHealthAgent@box-a", "wa", "HeartbeatHealthAgent@box-b", "wb"]);
  });

  it("refuses an agent whose host supervisor is gone, saying which host and since when, even when another host's runs", () => {
    const gone = onHost("box-b", false, ["HeartbeatHealthAgent@box-b", "wb"], 1_000);
    const e = catchError(() => assertRestartable([a, gone], [w("wa"), w("wb")], 46_000));
    expect(isSupervisorGoneError(e)).toBe(true);
    expect(e).toMatchObject({ code: "SUPERVISOR_GONE", names: ["wb"] });
    expect((e as { short: string }).short).toBe("wb runs under the supervisor of host box-b (pid 4321), which is gone (last seen 45s ago), so a restart request " +
      "would never be served; nothing was requested. Start the supervisor on box-b (bg-agents start there restarts its agents), or remove the record " +
      "of an agent that is gone for good: bg-agents cleanup-stale.");
    expect(catchError(() => assertRestartable([gone], [w("wb")]))).toMatchObject({ code: "SUPERVISOR_GONE", message: expect.stringMatching(/which is gone \(it holds no lease\)|last seen/) });
    // an agent no host's supervisor ever ran is not supervised, as on SQLite
    expect(catchError(() => assertRestartable([a, gone], [w("pushy")]))).toMatchObject({ code: "AGENT_NOT_SUPERVISED" });
  });
});

describe("InstanceLock", () => {
  it("checks for a running supervisor without creating the lock file", () => {
    const db = join(makeTempDir("bga-instance-lock-"), "state.db");
    expect(InstanceLock.isHeld(db)).toBe(false);
    expect(existsSync(supervisorLockPath(db))).toBe(false);
    const lock = InstanceLock.acquire(db);
    try {
      expect(InstanceLock.isHeld(db)).toBe(true);
      expect(isSupervisorRunningError(catchError(() => InstanceLock.acquire(db)))).toBe(true);
    } finally {
      lock.release();
    }
    expect(InstanceLock.isHeld(db)).toBe(false);
    InstanceLock.acquire(db).release(); // the checks took nothing with them: a supervisor can start
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}

describe("agent names across hosts (PostgreSQL)", () => {
  const sup = (host: string, running: boolean, agents: string[]) => ({ ...supervisionOf({ ...record, host, agents }, running), host });
  it("finds the names another host's running supervisor runs, and none of a gone one's or our own", () => {
    const sups = [sup("a", true, ["etl", "HeartbeatHealthAgent@a"]), sup("b", false, ["crawler"]), sup("c", true, ["mailer"])];
    expect(namesTakenElsewhere(sups, "c", ["etl", "crawler", "mailer", "HeartbeatHealthAgent@c"])).toEqual([{ name: "etl", host: "a", pid: 4321 }]);
    expect(namesTakenElsewhere(sups, "a", ["etl"])).toEqual([]);
    const e = new AgentNameTakenError(namesTakenElsewhere(sups, "c", ["etl"]), "c");
    expect(isAgentNameTakenError(e)).toBe(true);
    expect(e.message).toMatch(/etl is already run by the supervisor of host a \(pid 4321\)\. .*give the agent on c another name, or stop it on a first/);
  });
});

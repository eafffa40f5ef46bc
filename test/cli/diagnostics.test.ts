/** Unit tests of the diagnostics behind doctor and logs: agent checks on records, log file parsing. */
import { appendFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { checkAgents } from "../../src/diagnostics/agent-checks.js";
import { checkDatabase } from "../../src/diagnostics/db-check.js";
import { probeWrite } from "../../src/diagnostics/probe.js";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { LogFollower, readRecentLogs } from "../../src/diagnostics/logs/index.js";
import type { AgentRecord } from "../../src/storage/index.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(() => removeTempDirs());

const NOW = 1_800_000_000_000;
function rec(name: string, over: Partial<AgentRecord>): AgentRecord {
  return {
    name, state: "active", stateReason: null, stateChangedAt: NOW - 60_000, registeredAt: NOW - 60_000, startedAt: NOW - 60_000,
    lastHeartbeat: NOW - 1000, pid: null, host: null, version: null, rssBytes: null, cpuPercent: null, eventLoopLagMs: null,
    heartbeatLatencyMs: null, errorCount: 0, lastError: null, lastErrorAt: null, restarts: 0, heartbeats: 1, restartRequestedAt: null, meta: null, activity: null,
    ...over,
  };
}
const opts = { now: NOW, staleThresholdMs: 120_000, stuckAfterMs: 120_000, monitorName: "HeartbeatHealthAgent", pidAlive: () => false };
const byId = (fs: ReturnType<typeof checkAgents>) => Object.fromEntries(fs.map((f) => [f.id, f]));

describe("checkAgents", () => {
  it("all ok when the monitor heartbeats and agents are active", () => {
    const f = byId(checkAgents([rec("HeartbeatHealthAgent", {}), rec("w", {})], opts));
    expect(Object.values(f).map((x) => x.status)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
  });

  it("fails a monitor whose record is active and fresh but whose pid on this host is gone", () => {
    const f = byId(checkAgents([rec("HeartbeatHealthAgent", { pid: 12, host: hostname() })], opts));
    expect(f.monitor!.status).toBe("fail");
    expect(f.monitor!.detail).toMatch(/record says active .* pid 12@.* is NOT running: nothing marks silent agents stale/);
    expect(f.monitor!.fix!.join("\n")).toContain("bg-agents start");
    // the same record on another host cannot be checked from here; a running pid is fine
    expect(byId(checkAgents([rec("HeartbeatHealthAgent", { pid: 12, host: "elsewhere" })], opts)).monitor!.status).toBe("ok");
    expect(byId(checkAgents([rec("HeartbeatHealthAgent", { pid: 12, host: hostname() })], { ...opts, pidAlive: () => true })).monitor!.status).toBe("ok");
  });

  it("warns about a monitor in error instead of calling it ok", () => {
    const f = byId(checkAgents([rec("HeartbeatHealthAgent", { state: "error", lastError: "SQLITE_FULL" })], opts));
    expect(f.monitor).toMatchObject({ status: "warn", detail: expect.stringMatching(/SQLITE_FULL/) });
  });

  it("fails every live agent on this host whose process is gone, however fresh its heartbeat", () => {
    const f = byId(checkAgents([
      rec("HeartbeatHealthAgent", {}),
      rec("ghost", { pid: 31, host: hostname() }),
      rec("alive", { pid: 32, host: hostname() }),
      rec("remote", { pid: 33, host: "elsewhere" }),
      rec("stopped", { state: "stopped", pid: 34, host: hostname() }),
    ], { ...opts, pidAlive: (pid) => pid === 32 }));
    expect(f["agents.processes"]!.status).toBe("fail");
    expect(f["agents.processes"]!.items).toEqual([expect.stringMatching(/^ghost: active, last heartbeat 1s ago, pid 31@.* is NOT running$/)]);
    expect(f["agents.processes"]!.fix!.join("\n")).toMatch(/start it again/);
  });

  it("flags a monitor whose heartbeat is overdue, overdue agents not marked stale, failed and erroring agents", () => {
    const f = byId(checkAgents([
      rec("HeartbeatHealthAgent", { lastHeartbeat: NOW - 600_000, pid: 12, host: hostname() }),
      rec("silent", { lastHeartbeat: NOW - 300_000 }),
      rec("dead", { state: "failed", lastError: "ECONNREFUSED" }),
      rec("retrying", { state: "recovering", lastError: "timeout" }),
    ], opts));
    expect(f.monitor!.status).toBe("fail");
    expect(f.monitor!.detail).toMatch(/last heartbeat 10m 0s ago, pid 12@.* is NOT running/);
    expect(f["agents.stale"]!.items![0]).toMatch(/silent: still active \(not marked: is the monitor running\?\)/);
    expect(f["agents.failed"]!.items![0]).toBe("dead: ECONNREFUSED (0 errors)");
    expect(f["agents.erroring"]!.status).toBe("warn");
  });

  it("an initializing agent is stuck only after the threshold", () => {
    const young = rec("young", { state: "initializing", stateChangedAt: NOW - 30_000 });
    const old = rec("old", { state: "initializing", stateChangedAt: NOW - 300_000 });
    const f = byId(checkAgents([rec("HeartbeatHealthAgent", {}), young, old], opts));
    expect(f["agents.stuck-initializing"]!.items).toEqual([expect.stringMatching(/^old: initializing for 5m 0s/)]);
  });
});

describe("checkAgents restart advice", () => {
  const records = [
    rec("HeartbeatHealthAgent", {}),
    rec("Worker", { state: "stale", lastHeartbeat: NOW - 300_000 }),
    rec("pushy", { state: "stale", lastHeartbeat: NOW - 300_000, pid: 4242, host: "py-box" }),
    rec("Crashy", { state: "failed" }),
    rec("own-failed", { state: "failed" }),
  ];
  const fixes = (supervisor?: { running: boolean; agents: string[] }) => {
    const f = byId(checkAgents(records, { ...opts, supervisor }));
    return { stale: f["agents.stale"]!.fix!.join("\n"), failed: f["agents.failed"]!.fix!.join("\n") };
  };

  it("bg-agents restart only for the running supervisor's agents; restart the others where they run", () => {
    const { stale, failed } = fixes({ running: true, agents: ["Worker", "Crashy"] });
    expect(stale).toContain("if its process is not running, restart it: bg-agents restart Worker");
    expect(stale).toContain("if its process is not running, restart it where it runs (pid 4242 on py-box): pushy is not run by the supervisor, so bg-agents restart refuses it");
    expect(stale).not.toContain("bg-agents restart pushy");
    expect(failed).toContain("restart it after fixing the cause: bg-agents restart Crashy");
    expect(failed).toContain("restart it after fixing the cause where it runs: own-failed is not run by the supervisor");
  });

  it("with no supervisor running: bg-agents start for its agents, where it runs for the others, never bg-agents restart", () => {
    const { stale } = fixes({ running: false, agents: ["Worker"] });
    expect(stale).toContain("if its process is not running, restart it: no supervisor is running; bg-agents start runs Worker again");
    expect(stale).toContain("pushy is not run by a supervisor, so bg-agents restart refuses it");
    expect(stale).toContain("records of agents that are gone for good: bg-agents cleanup-stale");
    expect(fixes({ running: false, agents: [] }).failed).toContain("restart it after fixing the cause where it runs: Crashy is not run by a supervisor, so bg-agents restart refuses it (or, if it is gone for good, remove its record: bg-agents cleanup-stale)");
    const none = fixes();
    expect(none.stale + none.failed).not.toMatch(/bg-agents restart (?!refuses)\w/);
  });
});

describe("log files", () => {
  it("keeps a torn last line for later, shows non-JSON lines raw, and a follower continues where reading stopped", () => {
    const dir = makeTempDir();
    const file = join(dir, "agent_w-2026-01-02.log");
    const line = (msg: string, t: string) => JSON.stringify({ agent: "w", level: "info", message: msg, timestamp: t });
    writeFileSync(file, `${line("one", "2026-01-02T00:00:01.000Z")}\nnot json at all\n${line("two", "2026-01-02T00:00:02.000Z").slice(0, 20)}`);
    const recent = readRecentLogs(dir, { lines: 10 });
    expect(recent.entries.map((e) => e.raw ?? e.message)).toEqual(["not json at all", "one"]); // raw lines sort first (no time)
    const follower = new LogFollower(dir, { offsets: recent.offsets });
    expect(follower.poll()).toEqual([]);
    appendFileSync(file, line("two", "2026-01-02T00:00:02.000Z").slice(20) + "\n");
    expect(follower.poll().map((e) => e.message)).toEqual(["two"]);
    expect(readRecentLogs(dir, { lines: 10, level: "info" }).entries.map((e) => e.message)).toEqual(["one", "two"]);
  });

  it("does not mix agents whose names share a prefix", () => {
    const dir = makeTempDir();
    writeFileSync(join(dir, "agent_a-2026-01-02.log"), JSON.stringify({ agent: "a", level: "info", message: "from a", timestamp: "2026-01-02T00:00:00Z" }) + "\n");
    writeFileSync(join(dir, "agent_a-b-2026-01-02.log"), JSON.stringify({ agent: "a-b", level: "info", message: "from a-b", timestamp: "2026-01-02T00:00:01Z" }) + "\n");
    expect(readRecentLogs(dir, { agent: "a" }).entries.map((e) => e.message)).toEqual(["from a"]);
    expect(readRecentLogs(dir).entries.map((e) => e.message)).toEqual(["from a", "from a-b"]);
  });
});

describe("database locking checks", () => {
  async function dbWithAgent(): Promise<string> {
    const path = join(makeTempDir(), "state.db");
    const store = await SharedState.open({ path });
    await store.registerAgent("w");
    await store.close();
    return path;
  }

  it("the probe write reports SQLITE_BUSY when a connection outside the lock holds a write transaction", async () => {
    const path = await dbWithAgent();
    const rogue = new Database(path); // a sqlite3 shell, say: it does not take our flock
    rogue.exec("BEGIN IMMEDIATE");
    try {
      const probe = await probeWrite(path, 100);
      expect(probe).toMatchObject({ ok: false, errorCode: "SQLITE_BUSY" });
    } finally {
      rogue.exec("ROLLBACK");
      rogue.close();
    }
    expect((await probeWrite(path, 1000)).ok).toBe(true);
  });

  it("warns about a WAL that has grown past the limit", async () => {
    const path = await dbWithAgent();
    const writer = new Database(path); // kept open so the WAL is not checkpointed away on close
    writer.pragma("wal_autocheckpoint = 0");
    for (let i = 0; i < 50; i++) writer.prepare("INSERT INTO system_state (key, value, updated_at) VALUES (?, ?, 0)").run(`k${i}`, "x".repeat(2000));
    try {
      const r = await checkDatabase(path, { walWarnBytes: 10_000, write: false });
      const wal = r.findings.find((f) => f.id === "db.wal")!;
      expect(wal.status).toBe("warn");
      expect(r.file.walBytes).toBeGreaterThan(10_000);
      expect(r.verdict).toBe("warn");
    } finally {
      writer.close();
    }
  });
});

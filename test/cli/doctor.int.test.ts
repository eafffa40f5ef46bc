/**
 * `bg-agents doctor` as a real process: finds an agent stuck initializing and a missing monitor
 * (exit 1, with what to do), and passes a healthy system (exit 0).
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

interface Finding { id: string; status: string; detail: string; items?: string[]; fix?: string[] }
const find = (j: { findings: Finding[] }, id: string) => j.findings.find((f) => f.id === id)!;

describe("bg-agents doctor", () => {
  it("finds an agent stuck initializing and no monitor, and says what to do", async () => {
    const dir = makeTempDir("bga-doctor-");
    const path = join(dir, "state.db");
    const clock = new ManualClock(Date.now() - 10 * 60_000);
    const store = await SharedState.open({ path, clock });
    await store.registerAgent("slow-starter", { pid: 99_999_999, host: "elsewhere" });
    await store.registerAgent("fine");
    await store.updateAgentState("fine", "active");
    clock.set(Date.now());
    await store.updateHeartbeat("slow-starter"); // heartbeating, but never got past initializing
    await store.updateHeartbeat("fine");
    await store.close();

    const r = await runCli(["doctor", "--json"], { cwd: dir, env: { DATABASE_PATH: path, STALE_THRESHOLD: "60", HEARTBEAT_INTERVAL: "5" } });
    expect(r.code).toBe(1);
    const j = parseJson(r);
    expect(j.verdict).toBe("fail");
    expect(find(j, "database").status).toBe("ok");
    expect(find(j, "locking").status).toBe("ok");
    const monitor = find(j, "monitor");
    expect(monitor).toMatchObject({ status: "fail" });
    expect(monitor.fix!.join("\n")).toContain("bg-agents start");
    const stuck = find(j, "agents.stuck-initializing");
    expect(stuck.status).toBe("fail");
    expect(stuck.items!.join("\n")).toMatch(/slow-starter: initializing for (9|10)m/);
    expect(stuck.fix).toContain("check database locks: bg-agents db-check");
    expect(find(j, "agents.stale").status).toBe("ok");

    const text = await runCli(["doctor", "--stuck-after", "20m"], { cwd: dir, env: { DATABASE_PATH: path } });
    expect(text.code).toBe(1); // the monitor is still missing
    expect(text.stdout).toMatch(/\[FAIL\] Monitor \(HeartbeatHealthAgent\): not registered/);
    expect(text.stdout).toMatch(/\[ ok \] Agents stuck initializing: none/);
    expect(text.stdout).toMatch(/what to do:\n\s+→ start the system/);
  });

  it("passes when the monitor heartbeats and every agent is active (exit 0)", async () => {
    const dir = makeTempDir("bga-doctor-");
    const path = join(dir, "state.db");
    const store = await SharedState.open({ path });
    for (const name of ["Watcher", "w1"]) {
      await store.registerAgent(name, { pid: process.pid });
      await store.updateAgentState(name, "active");
      await store.updateHeartbeat(name);
    }
    await store.close();
    const r = await runCli(["doctor", "--monitor", "Watcher"], { cwd: dir, env: { DATABASE_PATH: path } });
    expect(r.stdout).toMatch(/\[ ok \] Monitor \(Watcher\): active/);
    expect(r.stdout).toMatch(/Verdict: OK/);
    expect(r.code).toBe(0);
  });
});

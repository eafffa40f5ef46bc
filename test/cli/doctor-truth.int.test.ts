/**
 * doctor and db-check tell the truth on a bad day (real CLI processes, a real tmpfs): a monitor
 * and an agent whose records say active while their processes are gone fail; a full file system is
 * named as such (not called corruption); a read-only file system gives advice, not a crash.
 */
import { spawnSync } from "node:child_process";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { mountTmpfs, unmountAll } from "../helpers/tmpfs.js";

afterEach(async () => {
  await killCliChildren();
  unmountAll();
  removeTempDirs();
});

interface Finding { id: string; status: string; detail: string; items?: string[]; fix?: string[] }
const find = (j: { findings: Finding[] }, id: string) => j.findings.find((f) => f.id === id);

/** The pid of a process that has just exited: nothing runs under it (until the kernel reuses it). */
function deadPid(): number {
  return spawnSync("true").pid!;
}

async function seed(path: string, records: Array<{ name: string; pid: number }>): Promise<void> {
  const store = await SharedState.open({ path });
  for (const r of records) {
    await store.registerAgent(r.name, { pid: r.pid, host: hostname() });
    await store.updateAgentState(r.name, "active");
    await store.updateHeartbeat(r.name);
  }
  await store.close();
}

describe("doctor: records against processes", () => {
  it("fails a monitor and an agent whose records are active and fresh but whose pids on this host are gone", async () => {
    const dir = makeTempDir("bga-doctor-");
    const path = join(dir, "state.db");
    await seed(path, [{ name: "HeartbeatHealthAgent", pid: deadPid() }, { name: "ghost", pid: deadPid() }, { name: "alive", pid: process.pid }]);
    const r = await runCli(["doctor", "--json"], { cwd: dir, env: { DATABASE_PATH: path } });
    const j = parseJson(r);
    expect(find(j, "monitor")).toMatchObject({ status: "fail", detail: expect.stringMatching(/is NOT running: nothing marks silent agents stale/) });
    expect(find(j, "monitor")!.fix!.join("\n")).toContain("bg-agents start");
    expect(find(j, "agents.processes")).toMatchObject({ status: "fail", items: [expect.stringMatching(/^ghost: active/)] });
    expect(j.verdict).toBe("fail");
    expect(r.code).toBe(1);
  });
});

describe("db-check on a file system that refuses writes", () => {
  it("names a full file system (free space, not corruption) and passes again once space is freed", async () => {
    const fs = mountTmpfs(2 * 1024 * 1024);
    const path = join(fs.dir, "state.db");
    await seed(path, [{ name: "w1", pid: process.pid }]);
    fs.fill();
    const full = await runCli(["db-check", "--json"], { cwd: fs.dir, env: { DATABASE_PATH: path } });
    const j = parseJson(full);
    expect(full.code).toBe(1);
    expect(find(j, "db.space")).toMatchObject({ status: "fail", detail: expect.stringMatching(/SQLITE_FULL/) });
    expect(find(j, "db.space")!.fix![0]).toContain(`free space on the file system of ${fs.dir}`);
    const integrity = find(j, "db.integrity");
    if (integrity) {
      // it may not run on a full disk, but that is not evidence of corruption: never "restore a backup"
      expect(integrity.detail).not.toMatch(/found problems/);
      expect(integrity.fix?.join("\n") ?? "").not.toMatch(/backup|corrupt/);
    }

    fs.free();
    const freed = await runCli(["db-check", "--json"], { cwd: fs.dir, env: { DATABASE_PATH: path } });
    expect(find(parseJson(freed), "db.space")?.status).not.toBe("fail");
    expect(freed.code).toBe(0);
  });

  it("reports a read-only file system with what to do instead of crashing", async () => {
    const fs = mountTmpfs(4 * 1024 * 1024);
    const path = join(fs.dir, "state.db");
    await seed(path, [{ name: "w1", pid: process.pid }]);
    fs.remount("ro");
    const r = await runCli(["db-check", "--json"], { cwd: fs.dir, env: { DATABASE_PATH: path } });
    expect(r.stderr).not.toMatch(/at .*probe\.ts/);
    const j = parseJson(r);
    expect(r.code).toBe(1);
    expect(find(j, "db.space")).toMatchObject({ status: "fail", detail: expect.stringMatching(/the file system is read-only/) });
    expect(find(j, "db.space")!.fix![0]).toMatch(/read-only: check how its file system is mounted/);
    // a WAL database cannot even be opened read-only there: that is not corruption either
    expect(find(j, "db.integrity")?.detail ?? "").not.toMatch(/found problems/);
  });
});

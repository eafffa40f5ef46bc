/**
 * `bg-agents db-check` as a real process: a healthy database, a file that is not SQLite (reported,
 * not modified), a corrupt database, and a state lock held by another process (its pid reported).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, openSync, writeSync, closeSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SCHEMA_VERSION, SharedState } from "../../src/storage/sqlite/index.js";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  await killCliChildren();
  removeTempDirs();
});

async function healthyDb(): Promise<{ dir: string; path: string }> {
  const dir = makeTempDir("bga-dbcheck-");
  const path = join(dir, "state.db");
  const store = await SharedState.open({ path });
  await store.registerAgent("w1");
  await store.updateHeartbeat("w1");
  await store.close();
  return { dir, path };
}

const sha = (p: string) => createHash("sha256").update(readFileSync(p)).digest("hex");

describe("bg-agents db-check", () => {
  it("passes a healthy database: integrity, schema version, sizes, latency probe with a locked write", async () => {
    const { dir, path } = await healthyDb();
    const r = await runCli(["db-check", "--json"], { cwd: dir, env: { DATABASE_PATH: path } });
    expect(r.code).toBe(0);
    const j = parseJson(r);
    expect(j.verdict).toBe("ok");
    expect(j.integrity).toMatchObject({ mode: "quick_check", ok: true, problems: [] });
    expect(j.schema).toEqual({ version: SCHEMA_VERSION, expected: SCHEMA_VERSION });
    expect(j.journalMode).toBe("wal");
    expect(j.file.kind).toBe("sqlite");
    expect(j.latency.reads.samples).toBeGreaterThan(0);
    expect(j.latency.write.ok).toBe(true);
    expect(j.checkpoints).toMatchObject({ checkpoints: 0, writes: 0 });
    expect(j.lockHolders).toEqual([]);

    const text = await runCli(["db-check", "--full", "--no-write", "--db", path], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Integrity: integrity_check: ok/);
    expect(text.stdout).toMatch(/write skipped/);
    expect(text.stdout).toMatch(/Verdict: OK/);
  });

  it("reports a file that is not SQLite, exits 1, and leaves it byte-for-byte unchanged", async () => {
    const dir = makeTempDir("bga-dbcheck-");
    const path = join(dir, "state.db");
    writeFileSync(path, "name,state\nw1,active\n".repeat(500));
    const before = sha(path);
    const r = await runCli(["db-check", "--db", path], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[FAIL\] Database file: .* is not a SQLite database \(wrong header\); it was not modified/);
    expect(r.stdout).toMatch(/Verdict: PROBLEMS FOUND/);
    expect(sha(path)).toBe(before);
    expect(existsSync(`${path}-wal`) || existsSync(`${path}-shm`)).toBe(false);
  });

  it("reports a corrupt database (exit 1) without modifying it", async () => {
    const { dir, path } = await healthyDb();
    // smash the agents table's pages, keep the 100-byte header and page 1 (the schema)
    const size = statSync(path).size;
    const fd = openSync(path, "r+");
    const page = 4096;
    for (let off = page; off < size; off += page) writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, off + 8);
    closeSync(fd);
    const before = sha(path);
    const r = await runCli(["db-check", "--json", "--db", path], { cwd: dir });
    expect(r.code).toBe(1);
    const j = parseJson(r);
    expect(j.verdict).toBe("fail");
    expect(j.integrity.ok).toBe(false);
    expect(j.integrity.problems.length).toBeGreaterThan(0);
    expect(j.latency).toBeUndefined(); // no probe write on a corrupt file
    expect(sha(path)).toBe(before);
  });

  it("names the process that holds the state lock and fails the probe write", async () => {
    const { dir, path } = await healthyDb();
    const fsExt = resolve(REPO_ROOT, "node_modules/fs-ext");
    const holder = spawn(process.execPath, ["-e", `
      const fs = require("node:fs"); const f = require(${JSON.stringify(fsExt)});
      const fd = fs.openSync(${JSON.stringify(`${path}.lock`)}, "a"); f.flockSync(fd, "ex");
      console.log("locked"); setInterval(() => {}, 1000);`], { stdio: ["ignore", "pipe", "inherit"] });
    children.push(holder);
    await new Promise<void>((res, rej) => {
      holder.stdout!.on("data", (d: Buffer) => d.toString().includes("locked") && res());
      holder.once("exit", (c) => rej(new Error(`lock holder exited early (${c})`)));
    });
    const r = await runCli(["db-check", "--json", "--probe-timeout", "300ms", "--db", path], { cwd: dir });
    expect(r.code).toBe(1);
    const j = parseJson(r);
    expect(j.lockHolders.map((h: { pid: number }) => h.pid)).toContain(holder.pid);
    expect(j.latency.write).toMatchObject({ ok: false, errorCode: "LOCK_TIMEOUT" });
    const latency = j.findings.find((f: { id: string }) => f.id === "db.latency");
    expect(latency.status).toBe("fail");
    expect(latency.detail).toContain(`pid ${holder.pid}`);

    // a command that needs the lock gives up after LOCK_TIMEOUT, names the holder and exits
    // (it must not hang until the holder lets go)
    const status = await runCli(["status", "--db", path], { cwd: dir, env: { LOCK_TIMEOUT: "0.3" }, timeoutMs: 20_000 });
    expect(status.signal).toBeNull();
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(new RegExp(`Could not take the state lock .* held by pid ${holder.pid}`));
  });
});

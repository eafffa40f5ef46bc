/**
 * Start-up refusals at process level: `npm start` (src/main.ts) and `bg-agents monitor`
 * (src/agents/heartbeat/main.ts) with a bad config value, or a DATABASE_PATH that is not SQLite,
 * stop at once, non-zero, with one line that names the problem, and leave files untouched.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

const ENTRIES = ["src/main.ts", "src/agents/heartbeat/main.ts"];

afterEach(async () => {
  await killChildren();
  removeTempDirs();
});

async function refusal(entry: string, env: Record<string, string>, dir: string): Promise<string> {
  const child = spawnTs(entry, { cwd: dir, env: { LOG_DIR: join(dir, "logs"), ...env } });
  const { code } = await child.exited;
  expect(code).not.toBe(0);
  const lines = child.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe.each(ENTRIES)("%s refuses to start", (entry) => {
  it("on a bad value, naming the variable, the value and what is allowed; no database is created", async () => {
    const dir = makeTempDir();
    const line = await refusal(entry, { HEARTBEAT_INTERVAL: "fast", DATABASE_PATH: join(dir, "state.db") }, dir);
    expect(line).toContain('HEARTBEAT_INTERVAL="fast"');
    expect(line).toContain("Allowed:");
    expect(existsSync(join(dir, "state.db"))).toBe(false);
  });

  it("when STALE_THRESHOLD is not above HEARTBEAT_INTERVAL", async () => {
    const dir = makeTempDir();
    const line = await refusal(entry, { HEARTBEAT_INTERVAL: "5", STALE_THRESHOLD: "5", DATABASE_PATH: join(dir, "state.db") }, dir);
    expect(line).toMatch(/STALE_THRESHOLD=5 is invalid: it must be greater than HEARTBEAT_INTERVAL=5/);
  });

  it("when DATABASE_PATH is not a SQLite database, and leaves the file untouched", async () => {
    const dir = makeTempDir();
    const path = join(dir, "important.txt");
    writeFileSync(path, "my thesis, not a database\n".repeat(50));
    const sha = () => createHash("sha256").update(readFileSync(path)).digest("hex");
    const before = sha();
    const line = await refusal(entry, { DATABASE_PATH: path, HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "1" }, dir);
    expect(line).toContain(path);
    expect(line).toMatch(/not a SQLite database/);
    expect(sha()).toBe(before);
  });
});

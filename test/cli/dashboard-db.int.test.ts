/**
 * `bg-agents dashboard` as a real process refuses a database file that does not exist, like
 * `bg-agents status` (exit 2, the same message), and creates no file (no empty database, no lock
 * file, no log directory); on an existing database it serves the API.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killCliChildren, parseJson, runCli, startCli } from "../helpers/cli.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

describe("bg-agents dashboard --db", () => {
  it("refuses a missing database like status does (exit 2, same message) and creates no file", async () => {
    const dir = makeTempDir("bga-dash-db-");
    const env = { LOG_DIR: join(dir, "logs"), DASHBOARD_PORT: "0" };
    const typo = join(dir, "typo.db");
    const status = await runCli(["status", "--db", typo], { cwd: dir, env });
    const dash = await runCli(["dashboard", "--db", typo], { cwd: dir, env, timeoutMs: 20_000 });
    expect(dash.signal).toBeNull(); // it exited on its own, it did not sit there serving
    expect(dash.code).toBe(2);
    expect(dash.code).toBe(status.code);
    expect(dash.stderr).toBe(status.stderr);
    expect(dash.stderr).toBe(`bg-agents: No state database at ${typo}. Set DATABASE_PATH (or --db) to the file your agents use, or start the system first: bg-agents start\n`);
    expect(dash.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);

    // DATABASE_PATH from the environment, and --json: the same refusal, as JSON on stdout
    const json = await runCli(["dashboard", "--json"], { cwd: dir, env: { ...env, DATABASE_PATH: typo }, timeoutMs: 20_000 });
    expect(json.code).toBe(2);
    expect(parseJson(json)).toEqual({ error: { code: "DB_OPEN_FAILED", message: expect.stringContaining(`No state database at ${typo}`) } });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("serves an existing database until SIGTERM (exit 0)", async () => {
    const dir = makeTempDir("bga-dash-db-");
    const path = join(dir, "state.db");
    const store = await SharedState.open({ path });
    await store.updateHeartbeat("w1");
    await store.close();
    const run = startCli(["dashboard", "--db", path, "--port", "0", "--json"], { cwd: dir, env: { LOG_DIR: join(dir, "logs") } });
    const [line] = await run.waitForStdout(/\{.*\}\n/);
    const { url } = JSON.parse(line) as { url: string };
    expect(await (await fetch(`${url}/api/summary`)).json()).toMatchObject({ total: 1, line: "Active agents: 1/1" });
    run.proc.kill("SIGTERM");
    expect((await run.done).code).toBe(0);
  });
});

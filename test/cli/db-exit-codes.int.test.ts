/**
 * Exit codes around an unusable database, as a script sees them. db-check and doctor exist to
 * examine the file: a missing, empty or non-SQLite one is a problem they report (exit 1, the same in
 * both, the file neither created nor touched). Commands that need the database to do their job
 * (status, inspect, cleanup-stale, restart, traces) refuse it with one line (exit 2). A --db that
 * names a directory is a configuration mistake for all of them (exit 2, one line, no stack trace).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

describe("exit codes for an unusable database", () => {
  it("db-check and doctor both report a missing, empty or non-SQLite file as a problem (exit 1) and leave it as it was", async () => {
    const dir = makeTempDir("bga-dbexit-");
    const missing = join(dir, "nope.db");
    const empty = join(dir, "empty.db");
    writeFileSync(empty, "");
    const csv = join(dir, "agents.csv");
    writeFileSync(csv, "name,state\nw1,active\n");
    const cases: Array<[string, string, RegExp]> = [
      [missing, "missing", /no file at/],
      [empty, "empty", /is empty \(0 bytes\)/],
      [csv, "not SQLite", /is not a SQLite database/],
    ];
    for (const [path, what, detail] of cases) {
      for (const cmd of ["db-check", "doctor"]) {
        const text = await runCli([cmd, "--db", path], { cwd: dir });
        expect({ cmd, what, code: text.code }).toEqual({ cmd, what, code: 1 });
        expect(text.stdout, `${cmd} ${what}`).toMatch(/^\[FAIL\] Database.*: /m);
        expect(text.stdout, `${cmd} ${what}`).toMatch(detail);
        expect(text.stdout, `${cmd} ${what}`).toMatch(/Verdict: PROBLEMS FOUND/);
        const json = await runCli([cmd, "--json", "--db", path], { cwd: dir });
        expect({ cmd, what, code: json.code }).toEqual({ cmd, what, code: 1 });
        expect(parseJson(json).verdict, `${cmd} ${what}`).toBe("fail");
      }
    }
    expect(existsSync(missing)).toBe(false);
    expect(readFileSync(empty, "utf8")).toBe("");
    expect(readFileSync(csv, "utf8")).toBe("name,state\nw1,active\n");

    // a command that needs the database refuses the missing file instead (exit 2, one line)
    const status = await runCli(["status", "--db", missing], { cwd: dir });
    expect(status.code).toBe(2);
    expect(status.stderr.trim()).toBe(`bg-agents: No state database at ${missing}. Set DATABASE_PATH (or --db) to the file your agents use, or start the system first: bg-agents start`);
    expect(existsSync(missing)).toBe(false);
  }, 120_000);

  it("a --db naming a directory is a configuration mistake: exit 2 with one line, not an internal error", async () => {
    const dir = makeTempDir("bga-dbexit-");
    const sub = join(dir, "state.db");
    mkdirSync(sub);
    for (const cmd of ["db-check", "doctor"]) {
      const r = await runCli([cmd, "--db", sub], { cwd: dir });
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 2 });
      expect(r.stderr, cmd).toBe(`bg-agents: ${sub} is a directory, not a database file. Set DATABASE_PATH (or --db) to the file your agents use\n`);
      const j = await runCli([cmd, "--json", "--db", sub], { cwd: dir });
      expect({ cmd, code: j.code }).toEqual({ cmd, code: 2 });
      expect(parseJson(j).error).toMatchObject({ code: "DB_OPEN_FAILED" });
    }
  }, 120_000);
});

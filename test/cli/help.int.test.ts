/** Every diagnostic command is listed and has --help (exit 0); a bad flag is a usage error (exit 2). */
import { afterEach, expect, it } from "vitest";
import { killCliChildren, runCli } from "../helpers/cli.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

it("lists the commands, shows a command's help, and rejects a bad flag value with exit 2", async () => {
  const cwd = makeTempDir();
  const top = await runCli(["--help"], { cwd });
  expect(top.code).toBe(0);
  for (const cmd of ["status", "db-check", "cleanup-stale", "inspect", "logs", "doctor"]) expect(top.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, "m"));

  const help = await runCli(["logs", "--help"], { cwd });
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/--follow/);
  expect(help.stdout).toMatch(/--json/);

  // a bad flag value is a usage error too (exit 2, not 1 which means "problems found")
  const bad = await runCli(["cleanup-stale", "--older-than", "soon"], { cwd });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--older-than <duration>.*expected a duration/);
});

/**
 * Every command is listed and has --help (exit 0) ending with its exit codes; any usage error (bad
 * flag or flag value, unknown command, on every command, long-running ones included) exits 2.
 */
import { readdirSync } from "node:fs";
import { afterEach, expect, it } from "vitest";
import { helpText } from "../../src/cli/help-docs.js";
import { buildProgram } from "../../src/cli/program.js";
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

/** The command names `bg-agents --help` lists (so a command added later is covered too). */
async function listedCommands(cwd: string): Promise<string[]> {
  const top = await runCli(["--help"], { cwd });
  const names = [...top.stdout.split(/^Commands:$/m)[1]!.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((n) => n !== "help");
  expect(names).toEqual(expect.arrayContaining(["start", "restart", "monitor", "dashboard", "status", "db-check", "cleanup-stale", "inspect", "logs", "doctor", "traces", "langgraph-runs"]));
  return names;
}

it("every command has --help (exit 0) ending with its exit codes, and every usage error exits 2 with commander's message", async () => {
  const cwd = makeTempDir();
  const commands = await listedCommands(cwd);
  const program = buildProgram();
  // a few at a time: each run is a real process (about 1 s of CPU through tsx)
  await inBatches(commands, 3, async (cmd) => {
    const help = await runCli([cmd, "--help"], { cwd });
    expect({ cmd, code: help.code }).toEqual({ cmd, code: 0 });
    expect(help.stdout, `${cmd} --help`).toMatch(/^Exit codes: 0 .*\b2 bad\b/m);
    expect(help.stdout.match(/^Exit codes:/gm), `${cmd} --help lists its exit codes once`).toHaveLength(1);
    // docs/cli.md is rendered in-process (src/cli/help-docs.ts): it must be what the binary prints
    expect(help.stdout.trimEnd(), `${cmd} --help as docs/cli.md shows it`).toBe(helpText(program.commands.find((c) => c.name() === cmd)!));

    // long-running commands too (start, monitor, dashboard): the bad flag stops them before they start
    const bad = await runCli([cmd, "--bogus"], { cwd, timeoutMs: 20_000 });
    expect({ cmd, signal: bad.signal, code: bad.code }).toEqual({ cmd, signal: null, code: 2 });
    expect(bad.stderr, cmd).toMatch(/^error: unknown option '--bogus'$/m);
    expect(bad.stderr, cmd).toContain(`Usage: bg-agents ${cmd}`);
  });
  // nothing was started, so nothing (database, logs) was created in the working directory
  expect(readdirSync(cwd)).toEqual([]);

  const usage: Array<[string[], RegExp]> = [
    [["nosuch"], /^error: unknown command 'nosuch'$/m],
    [["--bogus"], /^error: unknown option '--bogus'$/m],
    [["dashboard", "--port", "seventy"], /^error: option '--port <port>' argument 'seventy' is invalid\. expected a port 0-65535$/m],
    [["status", "--state"], /^error: option '--state <states>' argument missing$/m],
    [["help", "nosuch"], /^Usage: bg-agents \[options\] \[command\]$/m],
  ];
  for (const [args, message] of usage) {
    const r = await runCli(args, { cwd });
    expect({ args, code: r.code }).toEqual({ args, code: 2 });
    expect(r.stderr, args.join(" ")).toMatch(message);
  }
  // help and version are not errors
  for (const args of [["help", "start"], ["--version"], ["--help"]]) expect((await runCli(args, { cwd })).code, args.join(" ")).toBe(0);
}, 180_000);

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

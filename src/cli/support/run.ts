/**
 * What every command shares: config from env (+ .env) with flags on top, exit codes (those of
 * every process, src/process/exit-codes.ts: 0 all good, 1 problems found, 2 bad config/usage/unusable
 * database, 3 internal error, a bug: the stack is printed), and one-line errors.
 */
import { existsSync, statSync } from "node:fs";
import { InvalidArgumentError, type Command, type CommanderError } from "commander";
import { loadConfig, type Config, type ConfigOverrides } from "../../config/index.js";
import { DatabaseError, isBgAgentsError } from "../../errors/index.js";
import { describeFailure, EXIT, exitCodeFor, exitFlushed } from "../../process/index.js";
import { isMemoryPath, openStore, type StateStore } from "../../storage/index.js";
import { printJson } from "../format/json.js";
import { parseDuration } from "../format/units.js";

export { EXIT };

export interface DbOptions {
  db?: string;
  json?: boolean;
}

/**
 * commander's exit hook: `--help`/`--version` exit 0; every usage error (unknown command or option,
 * bad or missing option value, `help <unknown>`, no command at all) exits 2 (commander's default is
 * 1, which is our "problems found"). commander has already printed its message (and the help).
 * main.ts sets it on the program before registering commands, so every subcommand inherits it.
 */
export function exitOnUsageError(err: CommanderError): never {
  process.exit(err.exitCode === 0 ? EXIT.OK : EXIT.USAGE);
}

/** Adds `--db` and `--json` (usage errors exit 2 through the hook every command inherits from the program). */
export function withCommonOptions(cmd: Command, opts: { db?: boolean } = {}): Command {
  if (opts.db !== false) cmd.option("--db <path>", "state database (overrides DATABASE_PATH)");
  return cmd.option("--json", "print machine-readable JSON instead of text");
}

/** Env (already holding .env) with the given flags on top (a flag not given is undefined); throws ConfigError naming the variable. */
export function cliConfig(overrides: ConfigOverrides = {}): Config {
  return loadConfig(process.env, overrides);
}

/**
 * Opens the existing state database; a missing SQLite file is an error, not a new empty database.
 * On PostgreSQL (DATABASE_URL) the server is there or the open fails with a DatabaseError.
 */
export async function openExistingStore(config: Config): Promise<StateStore> {
  if (!config.databaseUrl) assertDatabaseExists(config.databasePath);
  return openStore(config);
}

/**
 * For db-check and doctor, which report a missing, empty, non-SQLite or corrupt file as a finding
 * (exit 1): a DATABASE_PATH that names a directory is a configuration mistake (exit 2, one line)
 * rather than an internal error with a stack trace.
 */
export function assertNotDirectory(path: string): void {
  if (!isMemoryPath(path) && existsSync(path) && statSync(path).isDirectory()) {
    throw new DatabaseError("DB_OPEN_FAILED", path, `${path} is a directory, not a database file. Set DATABASE_PATH (or --db) to the file your agents use`);
  }
}

export function assertDatabaseExists(path: string): void {
  if (!isMemoryPath(path) && !existsSync(path)) {
    throw new DatabaseError("DB_OPEN_FAILED", path,
      `No state database at ${path}. Set DATABASE_PATH (or --db) to the file your agents use, or start the system first: bg-agents start`);
  }
}

/**
 * Wraps a command's action: its return value is the exit code (the process exits with it); a thrown error becomes one line on
 * stderr (and `{ "error": ... }` on stdout with --json).
 */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<number>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    const json = args.some((a) => typeof a === "object" && a !== null && (a as { json?: unknown }).json === true);
    let code: number;
    try {
      code = await fn(...args);
    } catch (e) {
      code = reportError(e, json);
    }
    await exitFlushed(code);
  };
}

/** One line on stderr (and `{ "error": { code, message } }` on stdout with --json); returns the exit code. */
export function reportError(e: unknown, json: boolean): number {
  const known = isBgAgentsError(e);
  if (json) printJson({ error: { code: known ? e.code : "INTERNAL", message: known ? e.message : (e as Error)?.message ?? String(e) } });
  process.stderr.write(`${describeFailure(e, "bg-agents")}\n`);
  return exitCodeFor(e);
}

/** commander argument parser for durations ("90s", "10m", "2h", bare seconds). */
export function durationArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`expected a duration such as 90s, 10m, 2h, 1d or a number of seconds`);
  return ms;
}

/** commander argument parser for a TCP port (0 = any free port). */
export function portArg(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("expected a port 0-65535");
  return n;
}

/** commander argument parser for whole numbers >= 0. */
export function countArg(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("expected a whole number >= 0");
  return Number(value);
}

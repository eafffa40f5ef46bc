/**
 * `bg-agents db-check`: the seed's quick_db_check.py. Integrity, schema version, WAL and file
 * sizes, lock holders, checkpoint rows and a latency probe; a clear verdict; exit 1 on problems.
 * A file that is missing, empty, not SQLite, or corrupt is what this command exists to find: it is
 * reported (exit 1, like doctor) and left untouched. Exit 2 is for bad usage or configuration.
 * With DATABASE_URL (and no --db): the PostgreSQL checks of src/diagnostics/pg-check.ts.
 */
import type { Command } from "commander";
import { checkDatabase, checkPostgres, probeTimeoutFor } from "../../diagnostics/index.js";
import { printReport, withProgress } from "../format/report.js";
import { action, assertNotDirectory, cliConfig, durationArg, withCommonOptions, type DbOptions } from "../support/run.js";

interface DbCheckFlags extends DbOptions {
  full?: boolean;
  write: boolean;
  probeTimeout?: number;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("db-check")
      .description("Check the state database: integrity, schema version, WAL size, lock holders, latency")
      .option("--full", "run integrity_check (reads every page) instead of quick_check")
      .option("--no-write", "skip the probe write (by default one system_state row, diagnostics.probe, is upserted)")
      .option("--probe-timeout <duration>", "longest wait for the lock in the probe write (default: LOCK_TIMEOUT, at most 2s)", durationArg),
  )
    .addHelpText("after", "\nExit codes: 0 healthy (warnings allowed), 1 problems found (a missing, empty, non-SQLite or corrupt database file is one), 2 bad flag or config (e.g. --db naming a directory).")
    .action(action(async (opts: DbCheckFlags) => {
      const config = cliConfig({ databasePath: opts.db });
      if (config.databaseUrl && !opts.db) {
        const pgReport = await withProgress("checking the database", () => checkPostgres(config.databaseUrl!, config.databaseSchema ?? "bg_agents"));
        return printReport(pgReport, `Database: ${pgReport.location} (schema ${config.databaseSchema ?? "bg_agents"})`, opts.json);
      }
      assertNotDirectory(config.databasePath);
      const report = await withProgress("checking the database", (onStep) => checkDatabase(config.databasePath, {
        full: opts.full,
        write: opts.write,
        probeTimeoutMs: opts.probeTimeout ?? probeTimeoutFor(config),
        onStep,
      }));
      return printReport(report, `Database: ${config.databasePath}`, opts.json);
    }));
}

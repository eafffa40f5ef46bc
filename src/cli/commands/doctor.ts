/**
 * `bg-agents doctor`: walks the seed's "common issues" (stuck initializing, stale heartbeats,
 * database locking, failed agents, no monitor) and says for each what it found and what to do.
 * Exit 1 when it found a problem, a missing, empty, non-SQLite or corrupt database included (as db-check).
 * On PostgreSQL (DATABASE_URL, no --db): connection, server, schema, latency and locks, the
 * supervisor of every host, the monitors and their leader, then the same agent checks.
 */
import type { Command } from "commander";
import { readSupervisorRecordFile, runDoctor, runPgDoctor } from "../../diagnostics/index.js";
import { monitorNameFor } from "../../supervision/index.js";
import { MONITOR_NAME } from "../../supervisor/agent-specs.js";
import { printReport, withProgress } from "../format/report.js";
import { formatDuration } from "../format/units.js";
import { action, assertNotDirectory, cliConfig, durationArg, withCommonOptions, type DbOptions } from "../support/run.js";

interface DoctorFlags extends DbOptions {
  stuckAfter?: number;
  monitor?: string;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("doctor")
      .description("Find common problems (stuck, stale, failed agents, locking, no monitor) and say what to do")
      .option("--stuck-after <duration>", "an agent initializing longer than this is stuck (default: STALE_THRESHOLD)", durationArg)
      .option("--monitor <name>", `name of the HeartbeatHealthAgent (default: ${MONITOR_NAME} on a database a supervisor runs or ran, ` +
        "whatever AGENT_NAME says; else AGENT_NAME, the name bg-agents monitor runs under)"),
  )
    .addHelpText("after", "\nExit codes: 0 no problems (warnings allowed), 1 problems found (a missing, empty, non-SQLite or corrupt database file is one), 2 bad flag or config (e.g. --db naming a directory).")
    .action(action(async (opts: DoctorFlags) => {
      const config = cliConfig({ databasePath: opts.db });
      if (config.databaseUrl && !opts.db) {
        const pgReport = await withProgress("examining", () => runPgDoctor({ config, stuckAfterMs: opts.stuckAfter, monitorName: opts.monitor }));
        const schema = config.databaseSchema ?? "bg_agents";
        return printReport(pgReport, `bg-agents doctor: ${pgReport.database} schema ${schema} (stale after ${formatDuration(config.staleThresholdMs)})`, opts.json);
      }
      assertNotDirectory(config.databasePath);
      // the supervisor names its monitor in its record, whatever AGENT_NAME says; without one the
      // monitor runs alone (`bg-agents monitor`) under AGENT_NAME
      const monitorName = opts.monitor ?? monitorNameFor(await readSupervisorRecordFile(config.databasePath), config.agentName);
      const report = await withProgress("examining", (onStep) =>
        runDoctor({ config, stuckAfterMs: opts.stuckAfter, monitorName, onStep }));
      const head = `bg-agents doctor: ${config.databasePath} (stale after ${formatDuration(config.staleThresholdMs)}, monitor ${monitorName})`;
      return printReport(report, head, opts.json);
    }));
}

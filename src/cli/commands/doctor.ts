/**
 * `bg-agents doctor`: walks the seed's "common issues" (stuck initializing, stale heartbeats,
 * database locking, failed agents, no monitor) and says for each what it found and what to do.
 * Exit 1 when it found a problem.
 */
import type { Command } from "commander";
import { runDoctor } from "../../diagnostics/index.js";
import { printReport, withProgress } from "../format/report.js";
import { formatDuration } from "../format/units.js";
import { action, cliConfig, durationArg, withCommonOptions, type DbOptions } from "../support/run.js";

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
      .option("--monitor <name>", "name of the HeartbeatHealthAgent (default: AGENT_NAME)"),
  )
    .addHelpText("after", "\nExit codes: 0 no problems (warnings allowed), 1 problems found, 2 bad config.")
    .action(action(async (opts: DoctorFlags) => {
      const config = cliConfig({ databasePath: opts.db });
      const report = await withProgress("examining", (onStep) =>
        runDoctor({ config, stuckAfterMs: opts.stuckAfter, monitorName: opts.monitor, onStep }));
      const head = `bg-agents doctor: ${config.databasePath} (stale after ${formatDuration(config.staleThresholdMs)}, monitor ${opts.monitor ?? config.agentName})`;
      return printReport(report, head, opts.json);
    }));
}

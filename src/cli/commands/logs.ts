/**
 * `bg-agents logs [agent]`: the seed's `tail -f logs/agent_*.log`. Pretty-prints the JSON-lines
 * daily files (time, level, agent/module, message), all agents merged by time when no agent is
 * named; --follow keeps printing new lines (also from the next day's file) until Ctrl-C.
 */
import { InvalidArgumentError, type Command } from "commander";
import { followLogs, readRecentLogs, type LogEntry } from "../../diagnostics/index.js";
import { colourEnabled, LEVEL_COLOURS, painter, type Paint } from "../format/colour.js";
import { printJsonLine } from "../format/json.js";
import { oneLine } from "../format/table.js";
import { action, cliConfig, countArg, durationArg, EXIT, withCommonOptions } from "../support/run.js";

interface LogsFlags {
  json?: boolean;
  logDir?: string;
  lines: number;
  level?: string;
  since?: number;
  follow?: boolean;
}

const LEVELS = ["error", "warn", "info", "debug"];

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("logs")
      .argument("[agent]", "only this agent's log (default: all agents, merged by time)")
      .description("Show agent log lines (time, level, agent/module, message); --follow to keep watching")
      .option("-n, --lines <n>", "how many of the newest lines to show", countArg, 50)
      .option("--level <level>", "this level and more severe: error, warn, info, debug", parseLevel)
      .option("--since <duration>", "only lines newer than this (10m, 2h, 1d)", durationArg)
      .option("-f, --follow", "keep printing new lines until Ctrl-C")
      .option("--log-dir <dir>", "log directory (overrides LOG_DIR)"),
    { db: false },
  )
    .addHelpText("after", "\n--json prints one JSON object per line (the log record as written, with agent and module).\nExit codes: 0 done, 2 bad config.")
    .action(action(async (agent: string | undefined, opts: LogsFlags) => {
      const config = cliConfig({ logDir: opts.logDir });
      const filter = { agent, level: opts.level, sinceMs: opts.since === undefined ? undefined : Date.now() - opts.since };
      const recent = readRecentLogs(config.logDir, { ...filter, lines: opts.lines });
      const paint = painter(colourEnabled());
      const print = (entries: LogEntry[]) => {
        for (const e of entries) opts.json ? printJsonLine(toJson(e)) : process.stdout.write(formatEntry(e, paint) + "\n");
      };
      if (recent.files.length === 0) {
        process.stderr.write(`No log files${agent === undefined ? "" : ` for agent "${agent}"`} in ${config.logDir} (LOG_DIR)${opts.follow ? "; waiting for some" : ""}.\n`);
      }
      print(recent.entries);
      if (!opts.follow) return EXIT.OK;
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await followLogs(config.logDir, { ...filter, offsets: recent.offsets, signal: controller.signal }, print);
      return EXIT.OK;
    }));
}

function parseLevel(value: string): string {
  const v = value.trim().toLowerCase();
  const level = v === "warning" ? "warn" : v;
  if (!LEVELS.includes(level)) throw new InvalidArgumentError(`expected one of ${LEVELS.join(", ")}`);
  return level;
}

function toJson(e: LogEntry): Record<string, unknown> {
  if (e.raw !== undefined) return { raw: e.raw, agent: e.agent };
  return { timestamp: e.time, level: e.level, agent: e.agent, module: e.module, message: e.message, ...e.extra };
}

export function formatEntry(e: LogEntry, paint: Paint): string {
  if (e.raw !== undefined) return `${paint("grey", "(not JSON)")} [${e.agent}] ${oneLine(e.raw)}`;
  const level = e.level.toUpperCase().padEnd(5);
  const extra = Object.keys(e.extra).length ? " " + paint("grey", oneLine(JSON.stringify(e.extra))) : "";
  return `${paint("grey", e.time)} ${paint(LEVEL_COLOURS[e.level] ?? "grey", level)} ${paint("cyan", `[${oneLine(e.agent)}/${e.module ?? "main"}]`)} ${oneLine(e.message)}${extra}`;
}

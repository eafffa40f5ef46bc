/**
 * `bg-agents langgraph-runs`: what the LangGraph server at LANGGRAPH_API_URL (or `--url`) is doing,
 * as the dashboard's LangGraph panel shows it: runs stuck without progress for LANGGRAPH_STUCK_AFTER
 * (or `--stuck-after`), errored runs, threads left busy, runs in progress. One read, no cache.
 * Cancelling is the dashboard's (or `POST /api/langgraph/threads/:t/runs/:r/cancel`).
 */
import type { Command } from "commander";
import { loadConfig } from "../../config/index.js";
import { BgAgentsError } from "../../errors/index.js";
import { toLangGraphRunsView, watcherFromConfig, type Finding, type LangGraphRunsReport } from "../../langgraph-watch/index.js";
import { createLogger } from "../../logging/index.js";
import { colourEnabled, painter, type Colour, type Paint } from "../format/colour.js";
import { printJson } from "../format/json.js";
import { renderTable } from "../format/table.js";
import { formatAge } from "../format/units.js";
import { action, durationArg, EXIT } from "../support/run.js";

interface LangGraphRunsOptions {
  url?: string;
  stuckAfter?: number;
  json?: boolean;
}

const KIND: Record<Finding["kind"], { label: string; colour: Colour }> = {
  "stuck-run": { label: "stuck", colour: "red" },
  "errored-run": { label: "errored", colour: "red" },
  "busy-thread": { label: "busy thread", colour: "yellow" },
  running: { label: "running", colour: "green" },
};

export function register(program: Command): void {
  program
    .command("langgraph-runs")
    .description("Show a LangGraph server's stuck runs, errored runs and busy threads (LANGGRAPH_API_URL)")
    .option("--url <url>", "the LangGraph server (overrides LANGGRAPH_API_URL)")
    .option("--stuck-after <duration>", "no progress for this long is stuck (overrides LANGGRAPH_STUCK_AFTER; 90s, 10m)", durationArg)
    .option("--json", "print machine-readable JSON instead of text")
    .addHelpText("after", "\nExit codes: 0 nothing stuck, errored or left busy; 1 something is, or the server did not answer; 2 bad setting or no server given.")
    .action(action(async (opts: LangGraphRunsOptions) => {
      // --url goes through the same check as the variable
      const config = loadConfig({ ...process.env, ...(opts.url ? { LANGGRAPH_API_URL: opts.url } : {}) }, { langgraphStuckAfterMs: opts.stuckAfter });
      const watcher = watcherFromConfig(config, createLogger({ agentName: "bg-agents", level: config.logLevel, console: false }));
      if (!watcher) throw new BgAgentsError("LANGGRAPH_OFF", "No LangGraph server to read: set LANGGRAPH_API_URL (e.g. http://127.0.0.1:2024 for langgraphjs dev) or pass --url.");
      const report = await watcher.report({ fresh: true });
      if (opts.json) printJson(toLangGraphRunsView(report));
      else process.stdout.write(renderLangGraphRuns(report, painter(colourEnabled()), Date.now()) + "\n");
      const problems = report.counts.stuck + report.counts.errored + report.counts.busyThreads;
      return report.reachable && problems === 0 ? EXIT.OK : EXIT.PROBLEMS;
    }));
}

export function renderLangGraphRuns(r: LangGraphRunsReport, paint: Paint, now: number): string {
  const c = r.counts;
  const head = r.reachable
    ? `${r.url}: ${c.stuck} stuck, ${c.errored} errored, ${c.busyThreads} busy thread(s), ${c.running} running (stuck = no progress for ${Math.round(r.stuckAfterMs / 1000)} s)`
    : paint("red", `${r.url}: not reachable: ${r.error}`);
  if (r.findings.length === 0) return r.reachable ? `${head}\nNothing stuck, errored or running.` : head;
  return [head, renderTable(r.findings, [
    { header: "WHAT", value: (f) => paint(KIND[f.kind].colour, KIND[f.kind].label) },
    { header: "THREAD", value: (f) => f.threadId },
    { header: "RUN", value: (f) => f.runId ?? "-" },
    { header: "GRAPH", value: (f) => f.graphId ?? f.assistantId ?? "-", max: 32 },
    { header: "STATUS", value: (f) => f.status },
    { header: "LAST PROGRESS", value: (f) => (f.lastProgressAt ? formatAge(now - f.lastProgressAt) : "-") },
    { header: "WHY", value: (f) => f.reason, max: 90 },
  ])].join("\n");
}

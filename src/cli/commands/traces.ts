/**
 * `bg-agents traces`: the LangSmith run summaries the LangSmithBridgeAgent stored (one per agent
 * cycle: agent, name, status, latency, error, link) and the per-agent error rate and latency.
 * `--sync` first reads new runs from LangSmith once (LANGSMITH_* variables), like one bridge cycle.
 */
import { InvalidArgumentError, type Command } from "commander";
import { resolveBridge } from "../../agents/bridge/options.js";
import { syncOnce } from "../../agents/bridge/sync.js";
import { BgAgentsError } from "../../errors/index.js";
import { RUN_STATUSES, type RunStatus, type RunSummary, type TraceAgentStats } from "../../storage/index.js";
import { colourEnabled, painter, type Colour, type Paint } from "../format/colour.js";
import { printJson } from "../format/json.js";
import { renderTable } from "../format/table.js";
import { formatAge, formatMs } from "../format/units.js";
import { action, cliConfig, countArg, durationArg, EXIT, openExistingStore, withCommonOptions, type DbOptions } from "../support/run.js";

interface TracesOptions extends DbOptions {
  agent?: string;
  status?: RunStatus;
  limit: number;
  since?: number;
  sync?: boolean;
}

export interface TracesReport {
  runs: RunSummary[];
  stats: TraceAgentStats[];
  /** What --sync read and stored. */
  sync?: { project: string; since: string; read: number; inserted: number; updated: number; cursor: string };
}

const STATUS_COLOURS: Record<RunStatus, Colour> = { success: "green", error: "red", pending: "cyan" };

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("traces")
      .description("List the LangSmith run summaries the LangSmithBridgeAgent stored, with per-agent error rate and latency")
      .option("--agent <name>", "only this agent's runs")
      .option("--status <status>", `only runs with this status: ${RUN_STATUSES.join(", ")}`, parseStatus)
      .option("-n, --limit <n>", "newest runs to list", countArg, 20)
      .option("--since <duration>", "only runs started within this (10m, 2h, 1d)", durationArg)
      .option("--sync", "read new runs from LangSmith once before listing (needs LANGSMITH_API_KEY)"),
  )
    .addHelpText("after", "\nExit codes: 0 listed, 2 bad config, database, or LangSmith unreadable with --sync.")
    .action(action(async (opts: TracesOptions) => {
      const config = cliConfig({ databasePath: opts.db });
      const store = await openExistingStore(config);
      let report: TracesReport;
      try {
        let sync: TracesReport["sync"];
        if (opts.sync) {
          const bridge = resolveBridge({}, config.heartbeatIntervalMs);
          if (!bridge.source) throw new BgAgentsError("TRACING_OFF", `Cannot sync: ${bridge.settings.offReason}. Set LANGSMITH_API_KEY (and LANGSMITH_PROJECT, LANGSMITH_ENDPOINT) first.`);
          const r = await syncOnce(store, bridge, Date.now());
          sync = { project: bridge.source.project, since: new Date(r.since).toISOString(), read: r.runs.length, inserted: r.inserted, updated: r.updated, cursor: new Date(r.cursor).toISOString() };
        }
        const runs = await store.traces.queryRuns({
          agent: opts.agent, status: opts.status, limit: Math.max(1, opts.limit),
          since: opts.since === undefined ? undefined : Date.now() - opts.since,
        });
        const stats = (await store.traces.getStats()).filter((s) => opts.agent === undefined || s.agent === opts.agent);
        report = { runs, stats, ...(sync ? { sync } : {}) };
      } finally {
        await store.close();
      }
      if (opts.json) printJson(report);
      else process.stdout.write(renderTraces(report, painter(colourEnabled()), Date.now()) + "\n");
      return EXIT.OK;
    }));
}

function parseStatus(value: string): RunStatus {
  const v = value.trim().toLowerCase();
  if (!(RUN_STATUSES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${RUN_STATUSES.join(", ")}`);
  return v as RunStatus;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const ms = (x: number | null) => (x === null ? "-" : formatMs(x));

export function renderTraces(r: TracesReport, paint: Paint, now: number): string {
  const out: string[] = [];
  if (r.sync) out.push(`Synced project "${r.sync.project}": read ${r.sync.read} run(s) since ${r.sync.since}, ${r.sync.inserted} new, ${r.sync.updated} updated.`);
  if (r.stats.length) {
    out.push(renderTable(r.stats, [
      { header: "AGENT", value: (s) => s.agent, max: 40 },
      { header: "RUNS", value: (s) => String(s.runs), align: "right" },
      { header: "ERROR RATE", value: (s) => (s.errors ? paint("red", pct(s.errorRate)) : pct(s.errorRate)), align: "right" },
      { header: "AVG", value: (s) => ms(s.avgLatencyMs), align: "right" },
      { header: "P95", value: (s) => ms(s.p95LatencyMs), align: "right" },
      { header: "LAST RUN", value: (s) => (s.lastRunAt === null ? "-" : formatAge(now - s.lastRunAt)) },
    ]), "");
  }
  if (r.runs.length === 0) {
    out.push("No run summaries stored. The LangSmithBridgeAgent stores them when LANGSMITH_API_KEY is set; or run: bg-agents traces --sync");
    return out.join("\n");
  }
  out.push(renderTable(r.runs, [
    { header: "STARTED", value: (x) => formatAge(now - x.startedAt) },
    { header: "AGENT", value: (x) => x.agent, max: 32 },
    { header: "NAME", value: (x) => x.name, max: 40 },
    { header: "STATUS", value: (x) => paint(STATUS_COLOURS[x.status], x.status) },
    { header: "LATENCY", value: (x) => ms(x.latencyMs), align: "right" },
    { header: "ERROR", value: (x) => x.error ?? "", max: 60 },
    { header: "LINK", value: (x) => x.link ?? "" },
  ]));
  return out.join("\n");
}

/**
 * `bg-agents status`: the seed's background_agents_status.py. A table of every agent, the summary
 * line `Active agents: N/M`, exit 1 when any agent is stale or failed (or its heartbeat is overdue
 * because nothing marks it stale: no monitor running), 0 otherwise.
 */
import type { Command } from "commander";
import { AGENT_STATES, isAgentState, isLiveState, LIVE_STATES as LIVE, MONITOR_LEASE, type AgentState } from "../../storage/index.js";
import { toAgentView, toSummaryView, type AgentView, type SummaryView } from "../../views/agent-view.js";
import { readAvailability, type AvailabilityView } from "../../views/fleet-availability.js";
import { toSuspicionView, type SuspicionView } from "../../views/suspicion.js";
import { degradingLimits, readDegrading, type DegradingView } from "../../views/degrading.js";
import { toAnomalyViews, type AnomalyView } from "../../views/anomalies.js";
import { colourEnabled, painter, STATE_COLOURS, type Paint } from "../format/colour.js";
import { printJson } from "../format/json.js";
import { renderTable } from "../format/table.js";
import { formatAge } from "../format/units.js";
import { action, cliConfig, EXIT, openExistingStore, withCommonOptions, type DbOptions } from "../support/run.js";
import { InvalidArgumentError } from "commander";
import { readSupervisors } from "../../supervision/index.js";

interface StatusOptions extends DbOptions {
  state?: AgentState[];
}

export interface StatusReport {
  summary: SummaryView;
  /** Each with its suspicion (phi, its stale bound and the rule behind it; docs/detection.md). */
  /** …its most urgent degrading signal (null when none) and its open anomalies. */
  agents: (AgentView & { suspicion: SuspicionView; degrading: DegradingView | null; anomalies: AnomalyView[] })[];
  /** Live agents whose heartbeat is older than STALE_THRESHOLD but not (yet) marked stale. */
  overdue: string[];
  staleThresholdMs: number;
  /** Per agent name: uptime over 24 h / 7 d / 30 d, last outage, MTTR, beat strip (docs/availability.md). */
  availability: Record<string, AvailabilityView>;
  /** The monitors competing for the leader lease, leader first (PostgreSQL; on SQLite there is one). */
  monitors: Array<{ agent: string; host: string; pid: number; role: "leader" | "standby" }>;
  /** The supervisors of the database (PostgreSQL: one per host, `host` set; SQLite: the one of the file), running or gone. */
  supervisors: Array<{ host: string | null; pid: number | null; running: boolean; agents: string[]; seenAt: number | null }>;
}


export function register(program: Command): void {
  withCommonOptions(
    program
      .command("status")
      .description("Show every agent's state, uptime and last heartbeat; exit 1 if any is stale or failed")
      .option("--state <states>", `only list agents in these states (comma-separated: ${AGENT_STATES.join(", ")})`, parseStates),
  )
    .addHelpText("after", "\nExit codes: 0 all agents healthy, 1 an agent is stale/failed or overdue, 2 bad config or database.")
    .action(action(async (opts: StatusOptions) => {
      const config = cliConfig({ databasePath: opts.db });
      const store = await openExistingStore(config);
      let report: StatusReport;
      try {
        const now = Date.now();
        const records = await store.getRegisteredAgents(opts.state ? { states: opts.state } : {});
        const agents = [];
        const open = new Map((await store.signals.withOpenAnomalies()).map((s) => [s.agent, s]));
        for (const r of records) {
          const live = isLiveState(r.state);
          const suspicion = toSuspicionView(r, now, config);
          const degrading = live ? await readDegrading(store.perf, r.name, r.startedAt, degradingLimits(config, suspicion.staleAfterMs), now) : null;
          const anomalies = live ? toAnomalyViews(open.get(r.name)) : [];
          agents.push({ ...toAgentView(r, now, { lateAfterMs: config.lateAfterMs }), suspicion, degrading, anomalies });
        }
        const overdue = (await store.findStaleAgents(config.staleThresholdMs, 1000)).sample.map((s) => s.name);
        const availability = Object.fromEntries(await readAvailability(store, records, now));
        const members = await store.leaseMembers(MONITOR_LEASE, 3 * config.leaderLeaseMs);
        const monitors = members.map((m) => ({ agent: m.agent, host: m.host, pid: m.pid, role: m.role }));
        const supervisors = (await readSupervisors(store, config)).filter((s) => s.record).map((s) => ({
          host: s.host ?? null, pid: s.pid ?? null, running: s.running, agents: s.record!.agents, seenAt: s.seenAt ?? null,
        }));
        report = { summary: toSummaryView(await store.summary()), agents, overdue, staleThresholdMs: config.staleThresholdMs, availability, monitors, supervisors };
      } finally {
        await store.close();
      }
      if (opts.json) printJson(report);
      else process.stdout.write(renderStatus(report, painter(colourEnabled())) + "\n");
      const { stale, failed } = report.summary.byState;
      return stale + failed + report.overdue.length > 0 ? EXIT.PROBLEMS : EXIT.OK;
    }));
}

function parseStates(value: string): AgentState[] {
  const states = value.split(",").map((s) => s.trim()).filter(Boolean);
  const bad = states.find((s) => !isAgentState(s));
  if (bad !== undefined || states.length === 0) throw new InvalidArgumentError(`unknown state "${bad ?? ""}"; expected ${AGENT_STATES.join(", ")}`);
  return states as AgentState[];
}

export function renderStatus(r: StatusReport, paint: Paint): string {
  const overdue = new Set(r.overdue);
  const table = r.agents.length
    ? renderTable(r.agents, [
        { header: "AGENT", value: (a) => a.name, max: 40 },
        { header: "STATE", value: (a) => paint(STATE_COLOURS[a.state], a.stateLabel) + (a.late && !overdue.has(a.name) ? " " + paint("yellow", "late") : "") + (a.degrading ? " " + paint("yellow", "degrading") : "") + (a.anomalies.length ? " " + paint("yellow", "anomaly") : "") },
        { header: "UPTIME", value: (a) => (LIVE.includes(a.state) ? a.uptimeText : "-"), align: "right" },
        { header: "LAST HEARTBEAT", value: (a) => (overdue.has(a.name) ? paint("yellow", `${formatAge(a.lastHeartbeatAgeMs)} (overdue)`) : formatAge(a.lastHeartbeatAgeMs)) },
        { header: "PID@HOST", value: (a) => (a.pid === null && a.host === null ? "-" : `${a.pid ?? "?"}@${a.host ?? "?"}`), max: 30 },
        { header: "RESTARTS", value: (a) => String(a.restarts) + (a.restartRequested ? " (requested)" : ""), align: "right" },
        { header: "ERRORS", value: (a) => String(a.errorCount), align: "right" },
        { header: "LAST ERROR", value: (a) => a.lastError ?? "-", max: 60 },
      ])
    : "No agents registered.";
  const counts = AGENT_STATES.filter((s) => r.summary.byState[s] > 0 && s !== "active")
    .map((s) => paint(STATE_COLOURS[s], `${r.summary.byState[s]} ${s}`));
  const lines = [table, "", paint("bold", r.summary.line) + (counts.length ? `  (${counts.join(", ")})` : "")];
  if (r.monitors.length) {
    lines.push(`Monitors: ${r.monitors.map((m) => `${m.agent} on ${m.host} (pid ${m.pid}, ${m.role === "leader" ? paint("bold", "leader") : "standby"})`).join(", ")}`);
  }
  // one per host on PostgreSQL; SQLite's one supervisor is not listed (its agents say it all)
  const perHost = r.supervisors.filter((s) => s.host !== null);
  if (perHost.length) {
    const now = Date.now();
    const one = (s: (typeof perHost)[number]) => `${s.host} (pid ${s.pid ?? "?"}, ${s.running ? "running" : paint("red", `gone${s.seenAt !== null ? `, last seen ${formatAge(now - s.seenAt)}` : ""}`)}, ${s.agents.length} agents)`;
    lines.push(`Supervisors: ${perHost.map(one).join(", ")}`);
  }
  const notes = r.agents.flatMap((a) => [
    ...(a.degrading ? [`${a.name}: ${a.degrading.text}`] : []),
    ...a.anomalies.map((x) => `${a.name}: anomaly since ${x.since}: ${x.text}`),
  ]);
  if (notes.length) lines.push("", ...notes.map((n) => paint("yellow", n)));
  if (r.overdue.length) {
    lines.push(paint("yellow", `${r.overdue.length} live agent(s) have not heartbeated for over ${r.staleThresholdMs / 1000}s but are not marked stale: is the monitor running? Try: bg-agents doctor`));
  }
  return lines.join("\n");
}

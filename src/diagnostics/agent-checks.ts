/**
 * Doctor's checks on agent records (the seed's "common issues"): monitor not running, agents stuck
 * initializing, stale heartbeats, live records whose process on this host is gone, failed agents,
 * agents in error. Pure functions of records, time and who supervises what (restart advice:
 * `bg-agents restart` only for the running supervisor's agents).
 */
import { defaultHostName } from "../config/index.js";
import { pidAlive } from "../process/index.js";
import { LIVE_STATES as LIVE, type AgentRecord, type AgentState } from "../storage/index.js";
import { formatDuration } from "../views/agent-view.js";
import type { Finding } from "./types.js";

export interface AgentCheckOptions {
  now: number;
  staleThresholdMs: number;
  /** An agent in `initializing` longer than this is stuck. */
  stuckAfterMs: number;
  /** The HeartbeatHealthAgent's name. */
  monitorName: string;
  /** Is this pid alive on this host? (injectable for tests) */
  pidAlive?: (pid: number) => boolean;
  /**
   * The supervisor of this database: whether it runs now and the agents it runs (or ran, when it
   * does not run). `bg-agents restart` serves only the running supervisor's agents; the advice for
   * any other agent is to restart it where it runs. @defaultValue no supervisor
   */
  supervisor?: { running: boolean; agents: readonly string[] };
}

const LISTED = 10;

export function checkAgents(records: readonly AgentRecord[], o: AgentCheckOptions): Finding[] {
  const alive = o.pidAlive ?? pidAlive;
  const here = defaultHostName();
  const proc = (a: AgentRecord) => {
    if (a.pid === null) return "no pid";
    const where = `pid ${a.pid}@${a.host ?? "?"}`;
    return a.host === here ? `${where} ${alive(a.pid) ? "is running" : "is NOT running"}` : where;
  };
  /** The record says a process on this host runs it, and that process is gone. */
  const gone = (a: AgentRecord) => a.pid !== null && a.host === here && !alive(a.pid);
  const age = (a: AgentRecord) => formatDuration(o.now - a.lastHeartbeat);
  const list = (as: AgentRecord[], line: (a: AgentRecord) => string) => [
    ...as.slice(0, LISTED).map(line),
    ...(as.length > LISTED ? [`… and ${as.length - LISTED} more (bg-agents status lists them all)`] : []),
  ];
  const overdue = (a: AgentRecord) => LIVE.includes(a.state) && o.now - a.lastHeartbeat > o.staleThresholdMs;
  const sup = o.supervisor ?? { running: false, agents: [] };
  /** How to restart `a`: through the running supervisor, by starting the supervisor that runs it, or where it runs. */
  const restartFix = (a: AgentRecord, doIt: string, cleanupHint: boolean): string => {
    if (sup.agents.includes(a.name)) {
      return sup.running ? `${doIt}: bg-agents restart ${quote(a.name)}` : `${doIt}: no supervisor is running; bg-agents start runs ${quote(a.name)} again`;
    }
    const where = a.pid !== null ? ` (pid ${a.pid}${a.host ? ` on ${a.host}` : ""})` : "";
    return `${doIt} where it runs${where}: ${quote(a.name)} is not run by ${sup.running ? "the supervisor" : "a supervisor"}, so bg-agents restart refuses it` +
      (cleanupHint ? ` (or, if it is gone for good, remove its record: bg-agents cleanup-stale)` : "");
  };
  /** One restart line per kind of agent among `as` (supervised or not), naming the first of each. */
  const restartFixes = (as: AgentRecord[], doIt: string, cleanupHint = true): string[] => {
    const firsts = new Map<string, AgentRecord>();
    for (const a of as) {
      const kind = sup.agents.includes(a.name) ? "supervised" : "own";
      if (!firsts.has(kind)) firsts.set(kind, a);
    }
    return [...firsts.values()].map((a) => restartFix(a, doIt, cleanupHint));
  };
  const findings: Finding[] = [];

  // 1. the watcher itself
  const monitor = records.find((a) => a.name === o.monitorName);
  const mTitle = `Monitor (${o.monitorName})`;
  const startIt = ["start the system (monitor + agents): bg-agents start", "or only the monitor: bg-agents monitor"];
  if (!monitor) {
    findings.push({ id: "monitor", title: mTitle, status: "fail", detail: "not registered in this database: nothing marks silent agents stale", fix: startIt });
  } else if (!LIVE.includes(monitor.state) || overdue(monitor)) {
    findings.push({
      id: "monitor", title: mTitle, status: "fail",
      detail: `not running: state ${monitor.state}${monitor.stateReason ? ` (${monitor.stateReason})` : ""}, last heartbeat ${age(monitor)} ago, ${proc(monitor)}`,
      fix: [...startIt, `see why it stopped: bg-agents logs ${quote(o.monitorName)} --level warn`],
    });
  } else if (gone(monitor)) {
    findings.push({
      id: "monitor", title: mTitle, status: "fail",
      detail: `its record says ${monitor.state} (last heartbeat ${age(monitor)} ago) but ${proc(monitor)}: nothing marks silent agents stale`,
      fix: [
        sup.running && sup.agents.includes(o.monitorName)
          ? "the running supervisor restarts it within a stale threshold; if it does not, see its log: bg-agents logs supervisor --level warn"
          : startIt[0]!,
        startIt[1]!,
        `see why it ended: bg-agents logs ${quote(o.monitorName)} --level warn`,
      ],
    });
  } else if (monitor.state === "error" || monitor.state === "recovering") {
    findings.push({
      id: "monitor", title: mTitle, status: "warn",
      detail: `${monitor.state} (retrying after an error: ${monitor.lastError ?? "-"}), last heartbeat ${age(monitor)} ago, ${proc(monitor)}`,
      fix: [`watch it: bg-agents logs ${quote(o.monitorName)} --follow`],
    });
  } else {
    findings.push({ id: "monitor", title: mTitle, status: "ok", detail: `${monitor.state}, last heartbeat ${age(monitor)} ago, ${proc(monitor)}` });
  }

  // 1b. live records whose process on this host is gone (overdue ones are listed under stale heartbeats)
  const onThisHost = records.filter((a) => a.name !== o.monitorName && LIVE.includes(a.state) && a.pid !== null && a.host === here);
  const dead = onThisHost.filter((a) => !overdue(a) && gone(a));
  findings.push(dead.length
    ? {
        id: "agents.processes", title: "Agent processes", status: "fail",
        detail: `${dead.length} agent(s) recorded as live on this host (${here}) whose process is gone: their state is not true`,
        items: list(dead, (a) => `${a.name}: ${a.state}, last heartbeat ${age(a)} ago, ${proc(a)}`),
        fix: [
          ...restartFixes(dead, "start it again"),
          `see why it ended: bg-agents logs ${quote(dead[0]!.name)} --level warn`,
        ],
      }
    : { id: "agents.processes", title: "Agent processes", status: "ok", detail: `every live agent recorded on this host has its process running (${onThisHost.length} checked)` });

  // 2. stuck in initializing
  const stuck = records.filter((a) => a.state === "initializing" && o.now - a.stateChangedAt > o.stuckAfterMs);
  findings.push(stuck.length
    ? {
        id: "agents.stuck-initializing", title: "Agents stuck initializing", status: "fail",
        detail: `${stuck.length} agent(s) in initializing for more than ${formatDuration(o.stuckAfterMs)}`,
        items: list(stuck, (a) => `${a.name}: initializing for ${formatDuration(o.now - a.stateChangedAt)}, last heartbeat ${age(a)} ago, ${proc(a)}`),
        fix: [
          "check database locks: bg-agents db-check",
          `review its log: bg-agents logs ${quote(stuck[0]!.name)} --level warn`,
          ...restartFixes(stuck, "restart it"),
        ],
      }
    : { id: "agents.stuck-initializing", title: "Agents stuck initializing", status: "ok", detail: `none in initializing for more than ${formatDuration(o.stuckAfterMs)}` });

  // 3. stale heartbeats: marked stale, or overdue and not marked (only possible when no monitor runs)
  const stale = records.filter((a) => a.name !== o.monitorName && (a.state === "stale" || overdue(a)));
  findings.push(stale.length
    ? {
        id: "agents.stale", title: "Stale heartbeats", status: "fail",
        detail: `${stale.length} agent(s) without a heartbeat for more than ${formatDuration(o.staleThresholdMs)}`,
        items: list(stale, (a) => `${a.name}: ${a.state === "stale" ? "marked stale" : `still ${a.state} (not marked: is the monitor running?)`}, last heartbeat ${age(a)} ago, ${proc(a)}`),
        fix: [
          ...restartFixes(stale, "if its process is not running, restart it", false), // clean-up is the third line
          "look at what it logged last: bg-agents logs " + quote(stale[0]!.name),
          "records of agents that are gone for good: bg-agents cleanup-stale --older-than 1h --dry-run (then without --dry-run)",
        ],
      }
    : { id: "agents.stale", title: "Stale heartbeats", status: "ok", detail: "every live agent heartbeated within the threshold" });

  // 4. failed
  const failed = records.filter((a) => a.state === "failed");
  findings.push(failed.length
    ? {
        id: "agents.failed", title: "Failed agents", status: "fail",
        detail: `${failed.length} agent(s) gave up after RETRY_ATTEMPTS failures`,
        items: list(failed, (a) => `${a.name}: ${a.lastError ?? a.stateReason ?? "no error text"} (${a.errorCount} errors)`),
        fix: [`read the errors: bg-agents logs ${quote(failed[0]!.name)} --level error`, ...restartFixes(failed, "restart it after fixing the cause")],
      }
    : { id: "agents.failed", title: "Failed agents", status: "ok", detail: "none" });

  // 5. erroring right now (warn: they are retrying on their own)
  const erroring = records.filter((a) => a.state === "error" || a.state === "recovering");
  if (erroring.length) {
    findings.push({
      id: "agents.erroring", title: "Agents in error / recovering", status: "warn",
      detail: `${erroring.length} agent(s) are retrying after an error`,
      items: list(erroring, (a) => `${a.name}: ${a.state}, last error: ${a.lastError ?? "-"}`),
      fix: [`watch it: bg-agents logs ${quote(erroring[0]!.name)} --follow`],
    });
  }
  return findings;
}

/** Shell-quotes a name only when it needs it. */
function quote(name: string): string {
  return /^[\w.:@/-]+$/.test(name) ? name : `'${name.replace(/'/g, `'\\''`)}'`;
}

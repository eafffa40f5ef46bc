/**
 * `bg-agents doctor` on PostgreSQL (DATABASE_URL): db-check's connection, server, schema, latency
 * and locks (checkPostgres), then who runs the fleet: the supervisor of every host (running, or
 * gone since when), the monitors (which one leads), and the agent checks of the SQLite doctor.
 * Reads only; the store is opened only on a schema at this build's version (no migration runs).
 */
import type { Config } from "../config/index.js";
import { MONITOR_LEASE, openStore } from "../storage/index.js";
import { hostAgentName, readSupervisors, supervisedAgents, type Supervision } from "../supervision/index.js";
import { formatDuration } from "../views/agent-view.js";
import { checkAgents } from "./agent-checks.js";
import { checkPostgres, type PgCheckReport } from "./pg-check.js";
import { verdictOf, type Finding, type Verdict } from "./types.js";
import { SCHEMA_VERSION } from "../storage/postgres/migrations.js";

export interface PgDoctorOptions {
  config: Config;
  now?: number;
  /** @defaultValue config.staleThresholdMs */
  stuckAfterMs?: number;
  /** @defaultValue the leading monitor's name, else this host's supervised monitor */
  monitorName?: string;
}

export interface PgDoctorReport {
  database: string;
  checkedAt: string;
  findings: Finding[];
  verdict: Verdict;
  postgres: PgCheckReport;
  supervisors: Array<{ host: string; pid: number | null; running: boolean; agents: string[]; seenAt: number | null }>;
  monitors: Array<{ agent: string; host: string; pid: number; role: "leader" | "standby" }>;
}

export async function runPgDoctor(o: PgDoctorOptions): Promise<PgDoctorReport> {
  const now = o.now ?? Date.now();
  const schema = o.config.databaseSchema ?? "bg_agents";
  const pg = await checkPostgres(o.config.databaseUrl!, schema);
  const findings = [...pg.findings.filter((f) => f.id !== "db.sizes")];
  const report: PgDoctorReport = { database: pg.location, checkedAt: new Date(now).toISOString(), findings, verdict: "ok", postgres: pg, supervisors: [], monitors: [] };
  if (pg.schemaVersion !== SCHEMA_VERSION) {
    findings.push({ id: "agents", title: "Agents", status: "skip", detail: "not checked: the database or its schema is not usable (see above)" });
    report.verdict = verdictOf(findings);
    return report;
  }
  const store = await openStore(o.config);
  try {
    const sups = (await readSupervisors(store, o.config)).filter((s) => s.host !== undefined);
    report.supervisors = sups.map((s) => ({ host: s.host!, pid: s.pid ?? null, running: s.running, agents: s.record?.agents ?? [], seenAt: s.seenAt ?? null }));
    findings.push(supervisorFinding(sups, now));
    const members = await store.leaseMembers(MONITOR_LEASE, 3 * o.config.leaderLeaseMs);
    report.monitors = members.map((m) => ({ agent: m.agent, host: m.host, pid: m.pid, role: m.role }));
    const leader = members.find((m) => m.role === "leader");
    findings.push(leader
      ? { id: "monitors", title: "Monitors", status: "ok", detail: `${leader.agent} on ${leader.host} (pid ${leader.pid}) leads`,
        items: members.filter((m) => m !== leader).map((m) => `${m.agent} on ${m.host} (pid ${m.pid}): standby`) }
      : { id: "monitors", title: "Monitors", status: "fail", detail: "no monitor holds the leader lease: nothing marks silent agents stale",
        fix: ["start one: bg-agents start (a supervisor per host runs one) or bg-agents monitor"] });
    const running = sups.filter((s) => s.running);
    findings.push(...checkAgents(await store.getRegisteredAgents(), {
      now,
      staleThresholdMs: o.config.staleThresholdMs,
      stuckAfterMs: o.stuckAfterMs ?? o.config.staleThresholdMs,
      monitorName: o.monitorName ?? leader?.agent ?? hostAgentName("HeartbeatHealthAgent", o.config),
      supervisor: { running: running.length > 0, agents: supervisedAgents(running) },
    }));
  } finally {
    await store.close();
  }
  report.verdict = verdictOf(findings);
  return report;
}

/** Every host's supervisor: a gone one leaves its agents unrestarted and refuses restart requests. */
function supervisorFinding(sups: readonly Supervision[], now: number): Finding {
  const line = (s: Supervision) => `${s.host}: ${s.running ? "running" : "gone"} (pid ${s.pid ?? "?"}, ${s.record?.agents.length ?? 0} agents` +
    `${!s.running && s.seenAt !== undefined ? `, last seen ${formatDuration(now - s.seenAt)} ago` : ""})`;
  if (!sups.length) return { id: "supervisors", title: "Supervisors", status: "info", detail: "no supervisor ever ran on this database (bg-agents start runs one per host)" };
  const gone = sups.filter((s) => !s.running);
  if (!gone.length) return { id: "supervisors", title: "Supervisors", status: "ok", detail: `${sups.length} host(s), every supervisor running`, items: sups.map(line) };
  return {
    id: "supervisors", title: "Supervisors", status: "warn",
    detail: `${gone.length} of ${sups.length} host(s) have no running supervisor: their agents are not restarted, and bg-agents restart refuses them`,
    items: sups.map(line),
    fix: gone.map((s) => `on ${s.host}: bg-agents start (or remove its agents' records once the host is gone for good: bg-agents cleanup-stale)`),
  };
}

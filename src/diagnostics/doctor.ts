/**
 * runDoctor(): the logic of `bg-agents doctor`. Walks the seed's troubleshooting list (database
 * health and locking, monitor running, stuck initializing, stale heartbeats, failed agents) and
 * says for each what it found and what to do. Reads through a read-only connection, so it works
 * while a writer hangs; the only write is db-check's one-row probe.
 */
import type { Config } from "../config/index.js";
import { readSupervision } from "../supervision/index.js";
import { checkAgents } from "./agent-checks.js";
import { checkDatabase, probeTimeoutFor, type DbCheckReport } from "./db-check.js";
import { hasTable, openReadOnly, readAgentRecords } from "./db-open.js";
import { rawSystemState } from "./supervisor-record.js";
import { verdictOf, type Finding, type Verdict } from "./types.js";

/** Failures that still leave the records readable (a full disk, a failed probe write). */
const READABLE_DESPITE = ["db.latency", "db.space"];

export interface DoctorOptions {
  config: Config;
  now?: number;
  /** @defaultValue config.staleThresholdMs */
  stuckAfterMs?: number;
  /** @defaultValue config.agentName */
  monitorName?: string;
  onStep?: (step: string) => void;
}

export interface DoctorReport {
  databasePath: string;
  checkedAt: string;
  findings: Finding[];
  verdict: Verdict;
  database: DbCheckReport;
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const path = o.config.databasePath;
  const database = await checkDatabase(path, { probeTimeoutMs: probeTimeoutFor(o.config), onStep: o.onStep });
  const findings: Finding[] = [summariseDatabase(database), ...lockingFindings(database)];
  const usable = database.schema !== undefined && !database.findings.some((f) => f.status === "fail" && !READABLE_DESPITE.includes(f.id));
  if (usable) {
    o.onStep?.("reading agents");
    const db = openReadOnly(path);
    try {
      if (hasTable(db, "agents")) {
        findings.push(...checkAgents(readAgentRecords(db), {
          now: o.now ?? Date.now(),
          staleThresholdMs: o.config.staleThresholdMs,
          stuckAfterMs: o.stuckAfterMs ?? o.config.staleThresholdMs,
          monitorName: o.monitorName ?? o.config.agentName,
          // whether a supervisor runs (it holds `<db>.supervisor.lock`) and the agents in its record
          supervisor: await readSupervision(rawSystemState(db), path),
        }));
      }
    } finally {
      db.close();
    }
  } else {
    findings.push({ id: "agents", title: "Agents", status: "skip", detail: "not checked: the database is not usable (see above)" });
  }
  return { databasePath: path, checkedAt: new Date(o.now ?? Date.now()).toISOString(), findings, verdict: verdictOf(findings), database };
}

/** File, integrity and schema in one line; the first problem found, with its fix. */
function summariseDatabase(r: DbCheckReport): Finding {
  const health = r.findings.filter((f) => ["db.file", "db.space", "db.integrity", "db.open", "db.schema", "db.journal"].includes(f.id));
  const bad = health.find((f) => f.status === "fail") ?? health.find((f) => f.status === "warn");
  if (bad) return { ...bad, id: "database", title: `Database (${bad.title.toLowerCase()})` };
  return {
    id: "database", title: "Database", status: "ok",
    detail: `${r.integrity?.mode ?? "check"} ok, schema ${r.schema?.version}/${r.schema?.expected}, ${r.journalMode} mode`,
  };
}

/** The seed's "Database Locking": lock holders, the probe write (SQLITE_BUSY / lock timeout), WAL growth. */
function lockingFindings(r: DbCheckReport): Finding[] {
  const probe = r.findings.find((f) => f.id === "db.latency");
  const wal = r.findings.find((f) => f.id === "db.wal" && f.status !== "ok");
  const out: Finding[] = [];
  if (probe && probe.status !== "ok") out.push({ ...probe, id: "locking", title: "Database locking" });
  if (wal) out.push({ ...wal, id: "locking.wal", title: "Database locking (WAL growth)" });
  if (out.length === 0 && probe) {
    const holders = r.lockHolders.length ? `; holding the lock now: ${r.lockHolders.map((h) => `pid ${h.pid}`).join(", ")}` : "";
    out.push({ id: "locking", title: "Database locking", status: "ok", detail: `a locked write went through: ${probe.detail}${holders}` });
  }
  return out;
}

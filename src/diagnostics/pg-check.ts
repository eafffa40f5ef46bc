/**
 * `bg-agents db-check` on PostgreSQL (DATABASE_URL): connection, server version, schema version,
 * a latency probe, who holds or waits for locks (pg_locks joined with pg_stat_activity) and the
 * sizes of our tables and indexes. Read only: nothing is written.
 */
import { createClient, redactUrl } from "../storage/postgres/connection.js";
import { ident, schemaVersion, SCHEMA_VERSION } from "../storage/postgres/migrations.js";
import { verdictOf, type Finding, type Verdict } from "./types.js";

export interface PgCheckReport {
  location: string;
  serverVersion?: string;
  schemaVersion?: number;
  latencyMs?: number;
  lockHolders: Array<{ pid: number; application: string; state: string; mode: string; granted: boolean; relation: string | null; query: string }>;
  sizes: Array<{ name: string; kind: "table" | "index"; bytes: number }>;
  findings: Finding[];
  verdict: Verdict;
}

export async function checkPostgres(url: string, schema: string): Promise<PgCheckReport> {
  const report: PgCheckReport = { location: redactUrl(url), lockHolders: [], sizes: [], findings: [], verdict: "ok" };
  const add = (f: Finding) => report.findings.push(f);
  const client = createClient(url, "bg-agents db-check");
  try {
    const t0 = performance.now();
    await client.connect();
    add({ id: "db.connection", title: "Connection", status: "ok", detail: `connected to ${report.location} in ${(performance.now() - t0).toFixed(0)} ms` });
  } catch (e) {
    add({ id: "db.connection", title: "Connection", status: "fail", detail: `could not connect to ${report.location}: ${(e as Error).message}`,
      fix: ["check DATABASE_URL (host, port, user, password, database) and that the server is running"] });
    await client.end().catch(() => undefined);
    report.verdict = verdictOf(report.findings);
    return report;
  }
  try {
    report.serverVersion = String((await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v);
    add({ id: "db.server", title: "Server", status: "ok", detail: `PostgreSQL ${report.serverVersion}` });

    report.schemaVersion = await schemaVersion(client, schema);
    add(report.schemaVersion === SCHEMA_VERSION
      ? { id: "db.schema", title: "Schema version", status: "ok", detail: `${schema} at version ${report.schemaVersion}` }
      : report.schemaVersion === 0
        ? { id: "db.schema", title: "Schema version", status: "warn", detail: `no schema ${schema} yet`, fix: ["bg-agents start (it creates the schema)"] }
        : { id: "db.schema", title: "Schema version", status: report.schemaVersion > SCHEMA_VERSION ? "fail" : "warn",
          detail: `${schema} at version ${report.schemaVersion}, this build knows ${SCHEMA_VERSION}`,
          fix: [report.schemaVersion > SCHEMA_VERSION ? "upgrade background-agents" : "bg-agents start (it migrates the schema)"] });

    const probes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await client.query("SELECT 1");
      probes.push(performance.now() - t);
    }
    report.latencyMs = probes.sort((a, b) => a - b)[2]!;
    add({ id: "db.latency", title: "Latency", status: report.latencyMs > 100 ? "warn" : "ok", detail: `round trip ${report.latencyMs.toFixed(1)} ms (median of 5)` });

    const locks = await client.query<{ pid: number; application_name: string; state: string; mode: string; granted: boolean; relation: string | null; query: string }>(
      `SELECT l.pid, a.application_name, coalesce(a.state, '') AS state, l.mode, l.granted, l.relation::regclass::text AS relation, left(coalesce(a.query, ''), 200) AS query
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE a.datname = current_database() AND l.pid <> pg_backend_pid() AND (NOT l.granted OR l.locktype IN ('relation', 'advisory', 'tuple'))
       ORDER BY l.granted, l.pid`);
    report.lockHolders = locks.rows.map((r) => ({ pid: r.pid, application: r.application_name, state: r.state, mode: r.mode, granted: r.granted, relation: r.relation, query: r.query }));
    const waiting = report.lockHolders.filter((l) => !l.granted);
    add({
      id: "db.locks", title: "Locks", status: waiting.length ? "warn" : "ok",
      detail: waiting.length ? `${waiting.length} lock request(s) waiting` : `${report.lockHolders.length} lock(s) held, none waited for`,
      items: report.lockHolders.slice(0, 10).map((l) => `pid ${l.pid} ${l.application || "?"} (${l.state}) ${l.granted ? "holds" : "waits for"} ${l.mode} on ${l.relation ?? "-"}: ${l.query}`),
    });

    const sizes = await client.query<{ name: string; kind: string; bytes: string }>(
      `SELECT c.relname AS name, CASE c.relkind WHEN 'i' THEN 'index' ELSE 'table' END AS kind, pg_relation_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'i') ORDER BY pg_relation_size(c.oid) DESC, c.relname`, [schema]);
    report.sizes = sizes.rows.map((r) => ({ name: r.name, kind: r.kind as "table" | "index", bytes: Number(r.bytes) }));
    const total = report.sizes.reduce((n, s) => n + s.bytes, 0);
    add({ id: "db.sizes", title: "Tables and indexes", status: "info", detail: `${report.sizes.length} in ${ident(schema)}, ${(total / 1024).toFixed(0)} KiB`,
      items: report.sizes.slice(0, 15).map((s) => `${s.kind} ${s.name}: ${(s.bytes / 1024).toFixed(0)} KiB`) });
  } catch (e) {
    add({ id: "db.query", title: "Queries", status: "fail", detail: `a check failed: ${(e as Error).message}`, fix: ["bg-agents db-check again; check the server's log"] });
  } finally {
    await client.end().catch(() => undefined);
  }
  report.verdict = verdictOf(report.findings);
  return report;
}

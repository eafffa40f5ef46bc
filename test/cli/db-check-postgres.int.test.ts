/**
 * `bg-agents db-check` with DATABASE_URL: connection, server version, schema version, latency,
 * the lock holders of other sessions (an advisory lock held here is listed with its application
 * name) and table/index sizes; a server that is not there is a failed connection (exit 1).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { PgStore, SCHEMA_VERSION } from "../../src/storage/postgres/index.js";
import { parseJson, runCli } from "../helpers/cli.js";
import { freePort, startCluster, type PgCluster } from "../helpers/postgres.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => {
  cluster?.destroy();
  removeTempDirs();
});

interface Report {
  serverVersion: string;
  schemaVersion: number;
  latencyMs: number;
  lockHolders: Array<{ application: string; mode: string; granted: boolean }>;
  sizes: Array<{ name: string; kind: string }>;
  findings: Array<{ id: string; status: string; detail: string }>;
  verdict: string;
}

describe("bg-agents db-check on PostgreSQL", () => {
  it("reports server and schema version, latency, other sessions' locks and sizes", async () => {
    const url = await cluster.freshDatabase();
    await (await PgStore.open({ url })).close();
    const holder = new pg.Client({ connectionString: url, application_name: "lock-holder-test" });
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(42)");
      const r = await runCli(["db-check", "--json"], { cwd: makeTempDir(), env: { DATABASE_URL: url } });
      expect(r.code).toBe(0);
      const report = parseJson<Report>(r);
      expect(report.serverVersion).toMatch(/^\d+\.\d+/);
      expect(report.schemaVersion).toBe(SCHEMA_VERSION);
      expect(report.latencyMs).toBeGreaterThan(0);
      expect(report.lockHolders).toContainEqual(expect.objectContaining({ application: "lock-holder-test", mode: "ExclusiveLock", granted: true }));
      expect(report.sizes).toContainEqual(expect.objectContaining({ name: "agents", kind: "table" }));
      expect(report.sizes).toContainEqual(expect.objectContaining({ name: "leases", kind: "table" }));
      expect(report.findings.map((f) => f.id)).toEqual(["db.connection", "db.server", "db.schema", "db.latency", "db.locks", "db.sizes"]);
    } finally {
      await holder.end();
    }
  });

  it("fails (exit 1) naming the connection when no server answers", async () => {
    const url = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    const r = await runCli(["db-check", "--json"], { cwd: makeTempDir(), env: { DATABASE_URL: url } });
    expect(r.code).toBe(1);
    const report = parseJson<Report>(r);
    expect(report.findings).toEqual([expect.objectContaining({ id: "db.connection", status: "fail" })]);
  });
});

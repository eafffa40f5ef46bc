/**
 * The plans PostgreSQL makes for the reads that run every second at 100k agents: "now" is an
 * InitPlan computed once per statement (inline, now_ms() was folded into every row's filter:
 * 60-80 ms per sweep instead of ~18), and the dashboard's first page by name walks the
 * COLLATE "C" index instead of sorting every agent (~40 ms → under 1 ms; npm run bench -- --only=scale).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentListSql } from "../../../src/storage/postgres/agent-list.js";
import { PgStore } from "../../../src/storage/postgres/index.js";
import { statements } from "../../../src/storage/postgres/statements.js";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";

let cluster: PgCluster;
let url: string;
let client: pg.Client;
beforeAll(async () => {
  cluster = await startCluster();
  url = await cluster.freshDatabase();
  const store = await PgStore.open({ url });
  await store.fleet.ensureRegistered(Array.from({ length: 2000 }, (_, i) => `agent-${i}`), "plans");
  await store.close();
  client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("ANALYZE bg_agents.agents");
});
afterAll(async () => {
  await client?.end();
  cluster?.destroy();
});

async function plan(text: string, values: unknown[]): Promise<string> {
  const r = await client.query({ text: `EXPLAIN (COSTS OFF) ${text}`, values });
  return r.rows.map((row: Record<string, string>) => row["QUERY PLAN"]).join("\n");
}

describe("PostgreSQL query plans", () => {
  const sql = statements('"bg_agents"');
  for (const [name, values] of [["findStaleAdaptive", [20, null, 0, 30_000]], ["countStaleAdaptive", [30_000, null, 0]], ["findStale", [20, null, 30_000]], ["markStaleAdaptive", [30_000, null, 0]]] as const) {
    it(`${name}: now is computed once (an InitPlan), never per row`, async () => {
      const p = await plan(sql[name], [...values]);
      expect(p, p).toMatch(/InitPlan/);
      expect(p.split("\n").filter((l) => /Filter:/.test(l) && /statement_timestamp|now_ms/.test(l)), p).toEqual([]);
    });
  }

  it("the first page by name reads the COLLATE \"C\" index, not a sort of every agent", async () => {
    const q = agentListSql('"bg_agents"', { sort: "name", order: "asc", offset: 0, limit: 50 });
    const p = await plan(q.text, q.values);
    expect(p, p).toMatch(/agents_name_c/);
    expect(p, p).not.toMatch(/^\s*(->\s*)?Sort\b/m);
    const names = (await client.query(q)).rows.map((r: { name: string }) => r.name);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(names).toHaveLength(50);
  });
});

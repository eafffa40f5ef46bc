/**
 * The plans PostgreSQL makes for the reads that run every second at 100k agents: "now" and the
 * cut-offs derived from it are InitPlans computed once per statement (inline, now_ms() was folded
 * into every row's filter: 60-80 ms per sweep instead of ~18; the arithmetic around it, 19-22
 * instead of 15-16), the sweep is one serial scan (migration 14: a parallel one took three
 * processes' CPU on a busy server), and the dashboard's first page by name walks the
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
  for (const [name, values] of [["findStaleAdaptive", [20, null, 0, 30_000]], ["countStaleAdaptive", [30_000, null, 0]], ["findStale", [20, null, 30_000, 0]], ["markStaleAdaptive", [30_000, null, 0]]] as const) {
    it(`${name}: now is computed once (an InitPlan), never per row`, async () => {
      const p = await plan(sql[name], [...values]);
      expect(p, p).toMatch(/InitPlan/);
      expect(p.split("\n").filter((l) => /Filter:/.test(l) && /statement_timestamp|now_ms/.test(l)), p).toEqual([]);
    });

    it(`${name}: each row is compared with values computed once, no arithmetic per row but its own columns'`, async () => {
      const p = await plan(sql[name], [...values]);
      const filters = p.split("\n").filter((l) => /Filter:/.test(l));
      expect(filters.length, p).toBeGreaterThan(0);
      expect(filters.filter((l) => /ceil\(|\(\$\d+\)::double precision -/.test(l)), p).toEqual([]);
    });

    it(`${name}: one serial scan even where the planner would rather run parallel workers`, async () => {
      await client.query("BEGIN");
      try {
        await client.query("SET LOCAL parallel_setup_cost = 0; SET LOCAL parallel_tuple_cost = 0; SET LOCAL min_parallel_table_scan_size = 0");
        const p = await plan(sql[name], [...values]);
        expect(p, p).not.toMatch(/Gather|Parallel/);
        expect(await plan("SELECT count(*) FROM bg_agents.agent_transitions", []), "the same settings plan other tables in parallel").toMatch(/Parallel/);
      } finally {
        await client.query("ROLLBACK");
      }
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

/**
 * Migration 12 rebuilds the agents table with the sweep's columns first: a database at schema 11
 * keeps every agent with every value, its indexes and its triggers (transitions, state counts).
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgStore } from "../../../src/storage/postgres/index.js";
import { MIGRATIONS } from "../../../src/storage/postgres/migrations.js";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());

const S = `"bg_agents"`;

async function schema11(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`CREATE SCHEMA ${S}; CREATE TABLE ${S}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  for (let v = 0; v < 11; v++) {
    await c.query(MIGRATIONS[v]!(S));
    await c.query(`INSERT INTO ${S}.schema_migrations(version) VALUES ($1)`, [v + 1]);
  }
  return c;
}

const allAgents = async (c: pg.Client) => (await c.query(`SELECT * FROM ${S}.agents ORDER BY name`)).rows;

describe("migration 12 (the agents table, sweep columns first)", () => {
  it("keeps every agent and value, the indexes and the triggers of a schema-11 database", async () => {
    const url = await cluster.freshDatabase();
    const c = await schema11(url);
    try {
      await c.query(`INSERT INTO ${S}.agents (name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat, pid, host, version,
          rss_bytes, cpu_percent, loop_lag_ms, hb_latency_ms, error_count, last_error, last_error_at, restarts, heartbeats, restart_requested_at, meta,
          activity, hb_count, hb_mean_ms, hb_var_ms2, stale_after_ms)
        VALUES ('worker-a', 'active', 'registered', 10, 5, 6, 20, 42, 'h1', '1.2.3', 1000, 1.5, 0.25, 2.5, 3, 'boom', 15, 2, 77, 18, '{"team":"x"}',
                '{"status":"running"}', 9, 1000.5, 12.25, 30000),
               ('worker-b', 'stale', NULL, 11, 5, 6, 7, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, 0, 1, NULL, NULL, NULL, 0, 0, 0, NULL)`);
      const before = await allAgents(c);
      const store = await PgStore.open({ url });
      try {
        expect(await allAgents(c)).toEqual(before);
        const cols = (await c.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'bg_agents' AND table_name = 'agents' ORDER BY ordinal_position`)).rows;
        expect(cols.slice(0, 2).map((r) => r.column_name)).toEqual(["last_heartbeat", "stale_after_ms"]);
        expect(cols).toHaveLength(Object.keys(before[0]).length);
        const indexes = (await c.query(`SELECT indexname FROM pg_indexes WHERE schemaname = 'bg_agents' AND tablename = 'agents' ORDER BY 1`)).rows.map((r) => r.indexname);
        expect(indexes).toEqual(["agents_name_c", "agents_pkey", "agents_state"]);
        expect((await c.query(`SELECT to_regclass('bg_agents.agents_before_012') AS t`)).rows[0].t).toBeNull();

        // the triggers: a state change is a transition and moves the counts; a heartbeat revives; a new name registers
        await store.updateAgentState("worker-a", "error", "from the test");
        await store.updateHeartbeat("worker-b");
        await store.updateHeartbeat("worker-c");
        const moves = (await store.getTransitions({ limit: 10 })).slice(-3).map((t) => `${t.agent}:${t.from ?? "-"}>${t.to}`);
        expect(moves).toEqual(["worker-a:active>error", "worker-b:stale>active", "worker-c:->active"]);
        expect((await store.summary()).byState).toMatchObject({ error: 1, active: 2, stale: 0 });
        await expect(c.query(`UPDATE ${S}.agents SET state = 'sleeping' WHERE name = 'worker-a'`)).rejects.toThrow(/check constraint/);
      } finally {
        await store.close();
      }
    } finally {
      await c.end();
    }
  });
});

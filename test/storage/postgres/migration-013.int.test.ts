/**
 * Migration 13 leaves the agents pages half full (fillfactor 50) and rewrites the table at once, so
 * the rows already there get the room too: a database at schema 12 keeps every agent and value.
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

describe("migration 13 (agents pages half full)", () => {
  it("sets fillfactor 50 and rewrites the table of a schema-12 database, keeping every agent", async () => {
    const url = await cluster.freshDatabase();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`CREATE SCHEMA ${S}; CREATE TABLE ${S}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (let v = 0; v < 12; v++) {
        await c.query(MIGRATIONS[v]!(S));
        await c.query(`INSERT INTO ${S}.schema_migrations(version) VALUES ($1)`, [v + 1]);
      }
      await c.query(`INSERT INTO ${S}.agents (name, state, state_changed_at, registered_at, started_at, last_heartbeat, heartbeats)
        SELECT 'agent-' || i, 'active', 1, 1, 1, i, i FROM generate_series(1, 500) i`);
      const fileNode = async () => (await c.query(`SELECT relfilenode, reloptions FROM pg_class WHERE oid = 'bg_agents.agents'::regclass`)).rows[0];
      const before = { node: await fileNode(), rows: (await c.query(`SELECT * FROM ${S}.agents ORDER BY name`)).rows };
      expect(before.node.reloptions).toEqual(["fillfactor=80"]);

      const store = await PgStore.open({ url });
      try {
        const after = await fileNode();
        expect(after.reloptions).toContain("fillfactor=50");
        expect(after.relfilenode).not.toBe(before.node.relfilenode); // rewritten, not only for pages written from now on
        expect((await c.query(`SELECT * FROM ${S}.agents ORDER BY name`)).rows).toEqual(before.rows);
        await store.updateHeartbeat("agent-7");
        expect((await store.getAgent("agent-7"))?.heartbeats).toBe(8);
      } finally {
        await store.close();
      }
    } finally {
      await c.end();
    }
  });
});

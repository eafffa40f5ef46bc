/**
 * PostgreSQL's per-state counts (migration 011): row triggers append deltas, the summary adds them
 * to the folded counts and folds them in the background; the answer is the same before and after
 * a fold, the deltas are gone once folded, and a migrated database starts from its agents.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgStore } from "../../../src/storage/postgres/index.js";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";
import { waitFor } from "../../helpers/wait.js";

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

describe("PostgreSQL state counts", () => {
  it("give the same summary before and after the deltas are folded, and fold them away", async () => {
    const url = await cluster.freshDatabase();
    const store = await PgStore.open({ url });
    try {
      await store.fleet.ensureRegistered(Array.from({ length: 40 }, (_, i) => `a${i}`), "t");
      for (let i = 0; i < 10; i++) await store.updateAgentState(`a${i}`, "active");
      for (let i = 0; i < 3; i++) await store.updateAgentState(`a${i}`, "failed");
      await store.fleet.removeAgents(["a39"]);
      const before = await store.summary(); // starts a fold
      expect(before.byState).toMatchObject({ stopped: 29, active: 7, failed: 3 }); // ensureRegistered: stopped
      expect(before.total).toBe(39);
      await waitFor(async () => (await withClient(url, (c) => c.query("SELECT count(*)::int AS n FROM bg_agents.agent_state_deltas"))).rows[0].n === 0,
        { timeoutMs: 10_000, message: "deltas folded" });
      expect(await store.summary()).toEqual(before);
      await store.updateAgentState("a5", "error");
      expect((await store.summary()).byState).toMatchObject({ active: 6, error: 1, failed: 3 });
    } finally {
      await store.close();
    }
  });

  it("start from the agents a database already had when it is migrated", async () => {
    const url = await cluster.freshDatabase();
    const store = await PgStore.open({ url });
    await store.fleet.ensureRegistered(["x", "y", "z"], "t");
    await store.updateAgentState("z", "active");
    await store.close();
    // back to schema 10, as a database made before migration 011 is
    await withClient(url, async (c) => {
      await c.query(`DROP TABLE bg_agents.agent_state_counts, bg_agents.agent_state_deltas; DROP FUNCTION bg_agents.count_states() CASCADE;
        DELETE FROM bg_agents.schema_migrations WHERE version >= 11`);
    });
    const again = await PgStore.open({ url });
    try {
      expect((await again.summary()).byState).toMatchObject({ stopped: 2, active: 1 });
    } finally {
      await again.close();
    }
  });
});

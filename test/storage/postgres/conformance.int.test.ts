/**
 * The storage conformance suite (test/storage/conformance) unchanged against PostgreSQL: one
 * throw-away cluster for this file, a fresh pair of schemas per store (ours and its checkpoints,
 * dropped on close), opened by openStore with a ManualClock (on PostgreSQL a test clock replaces
 * the server's, passed as each statement's "now").
 */
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { openStore } from "../../../src/storage/index.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";
import { storageConformance } from "../conformance/index.js";

let cluster: PgCluster;
let url: string;
let n = 0;
beforeAll(async () => {
  cluster = await startCluster();
  url = await cluster.freshDatabase();
});
afterAll(() => cluster?.destroy());

storageConformance("postgres", async (opts = {}) => {
  const clock = new ManualClock();
  const schema = `conf_${++n}`;
  const config = loadConfig({
    DATABASE_URL: url,
    DATABASE_SCHEMA: schema,
    ...(opts.checkpointRetention === undefined ? {} : { CHECKPOINT_RETENTION: String(opts.checkpointRetention) }),
  });
  const store = await openStore(config, { clock });
  return {
    store,
    clock,
    async close() {
      await store.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE; DROP SCHEMA ${schema}_checkpoints CASCADE`).finally(() => c.end());
    },
  };
});

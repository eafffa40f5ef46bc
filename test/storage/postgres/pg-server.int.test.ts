/**
 * What only a PostgreSQL server shows: timestamps from the server's clock, two stores (two hosts)
 * writing at once without lost or duplicated transitions, transition ids in commit order,
 * migrations raced by several processes, start-up errors that say what to check, a server that
 * stops and comes back, checkpoint retention.
 */
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { isConfigError, isDatabaseError } from "../../../src/errors/index.js";
import { openStore } from "../../../src/storage/index.js";
import { PgStore, type PgStoreOptions } from "../../../src/storage/postgres/index.js";
import { SCHEMA_VERSION } from "../../../src/storage/postgres/migrations.js";
import { freePort, PASSWORD, PASSWORD_USER, startCluster, type PgCluster } from "../../helpers/postgres.js";

let cluster: PgCluster;
const stores: PgStore[] = [];
const clients: pg.Client[] = [];

beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());
afterEach(async () => {
  cluster.start();
  for (const s of stores.splice(0)) await s.close();
  for (const c of clients.splice(0)) await c.end().catch(() => undefined);
});

async function open(url: string, opts: Partial<PgStoreOptions> = {}): Promise<PgStore> {
  const s = await PgStore.open({ url, ...opts });
  stores.push(s);
  return s;
}

async function sqlClient(url: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  clients.push(c);
  return c;
}

const serverNow = async (c: pg.Client) => Number((await c.query("SELECT floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint AS t")).rows[0].t);

describe("time from the server", () => {
  it("stamps heartbeats, state changes and stale ages with the server's clock", async () => {
    const url = await cluster.freshDatabase();
    const store = await open(url);
    const c = await sqlClient(url);
    const before = await serverNow(c);
    await store.updateHeartbeat("w");
    const rec = await store.updateAgentState("w", "error", "x");
    const after = await serverNow(c);
    for (const t of [rec.lastHeartbeat, rec.stateChangedAt, rec.registeredAt]) {
      expect(t).toBeGreaterThanOrEqual(before);
      expect(t).toBeLessThanOrEqual(after);
    }
    // age the heartbeat by an hour on the server: the sweep measures it with the server's clock
    await c.query("UPDATE bg_agents.agents SET last_heartbeat = last_heartbeat - 3600000");
    const [stale] = await store.markStaleAgents(60_000);
    expect(stale!.ageMs).toBeGreaterThanOrEqual(3_600_000);
    expect(stale!.ageMs).toBeLessThan(3_600_000 + 60_000);
    expect((await store.getAgent("w"))?.stateReason).toMatch(/^no heartbeat for 36\d\d\.\ds \(threshold 60s\)$/);
  });
});

describe("two stores on one database (two hosts)", () => {
  it("two monitors sweeping at once mark each agent stale exactly once", async () => {
    const url = await cluster.freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    for (let i = 0; i < 200; i++) await a.updateHeartbeat(`w${i}`);
    const c = await sqlClient(url);
    await c.query("UPDATE bg_agents.agents SET last_heartbeat = last_heartbeat - 600000");
    const [ma, mb] = await Promise.all([a.markStaleAgents(60_000), b.markStaleAgents(60_000)]);
    expect(ma.length + mb.length).toBe(200);
    expect(new Set([...ma, ...mb].map((s) => s.name)).size).toBe(200);
    const toStale = await a.getTransitions({ to: "stale", limit: 10_000 });
    expect(toStale).toHaveLength(200);
  });

  it("concurrent writers from two stores lose and duplicate no transition; the feed sees every id once, in order", async () => {
    const url = await cluster.freshDatabase();
    const [a, b] = [await open(url), await open(url)];
    await Promise.all(Array.from({ length: 20 }, (_, i) => a.registerAgent(`n${i}`)));
    const seen: number[] = [];
    let last = 0;
    let done = false;
    const reader = (async () => {
      while (!done) {
        for (const t of await a.transitionsAfter(last)) {
          seen.push(t.id);
          last = t.id;
        }
      }
    })();
    const flip = (s: PgStore, n: number) => async () => {
      for (let k = 0; k < 10; k++) await s.updateAgentState(`n${n}`, k % 2 ? "active" : "error", `flip ${k}`);
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => flip(i % 2 ? a : b, i)()));
    done = true;
    await reader;
    for (const t of await a.transitionsAfter(last)) seen.push(t.id);
    const all = await a.transitionsAfter(0, 10_000);
    expect(all).toHaveLength(20 + 20 * 10);
    expect(seen).toEqual(all.map((t) => t.id));
  });

  it("a state change waits for an open one to commit, so its id is larger (ids in commit order)", async () => {
    const url = await cluster.freshDatabase();
    const store = await open(url);
    await store.registerAgent("a");
    await store.registerAgent("b");
    const c = await sqlClient(url);
    await c.query("BEGIN");
    await c.query("UPDATE bg_agents.agents SET state = 'error', state_reason = 'held' WHERE name = 'a'");
    let settled = false;
    const later = store.updateAgentState("b", "error", "second").then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    await c.query("COMMIT");
    await later;
    const ids = (await store.getTransitions({ to: "error" })).map((t) => [t.agent, t.id] as const);
    expect(ids.map(([agent]) => agent)).toEqual(["a", "b"]);
    expect(ids[0]![1]).toBeLessThan(ids[1]![1]);
  });

  it("heartbeats of live agents do not wait for that lock", async () => {
    const url = await cluster.freshDatabase();
    const store = await open(url);
    await store.updateHeartbeat("live");
    await store.registerAgent("other");
    const c = await sqlClient(url);
    await c.query("BEGIN");
    await c.query("UPDATE bg_agents.agents SET state = 'error' WHERE name = 'other'");
    await store.updateHeartbeat("live");
    expect((await store.getAgent("live"))?.heartbeats).toBe(2);
    await c.query("ROLLBACK");
  });
});

describe("migrations", () => {
  it("several processes opening a new database at once migrate it once", async () => {
    const url = await cluster.freshDatabase();
    const opened = await Promise.all(Array.from({ length: 4 }, () => open(url)));
    expect(opened).toHaveLength(4);
    const c = await sqlClient(url);
    expect((await c.query("SELECT version FROM bg_agents.schema_migrations ORDER BY version")).rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    const tables = (await c.query("SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema LIKE 'bg_agents%' ORDER BY 1, 2")).rows;
    expect(tables.filter((t) => t.table_schema === "bg_agents_checkpoints").map((t) => t.table_name))
      .toEqual(["checkpoint_blobs", "checkpoint_migrations", "checkpoint_writes", "checkpoints"]);
    expect((await opened[0]!.fleet.checkDatabase())).toEqual({ ok: true, problems: [], schemaVersion: SCHEMA_VERSION, expectedVersion: SCHEMA_VERSION });
  });

  it("opens and works with a pool of one connection (migrations use their own)", async () => {
    const store = await open(await cluster.freshDatabase(), { poolSize: 1 });
    await store.updateHeartbeat("solo");
    expect((await store.cleanupStale({ dryRun: true })).removed).toEqual([]);
    expect((await store.getAgent("solo"))?.heartbeats).toBe(1);
  });

  it("keeps two schemas in one database apart", async () => {
    const url = await cluster.freshDatabase();
    const [a, b] = [await open(url, { schema: "team_a" }), await open(url, { schema: "team_b" })];
    await a.updateHeartbeat("only-in-a");
    expect(await b.getRegisteredAgents()).toEqual([]);
    expect((await a.getRegisteredAgents()).map((r) => r.name)).toEqual(["only-in-a"]);
  });

  it("refuses a schema newer than this build, and one made by another program, changing nothing", async () => {
    const url = await cluster.freshDatabase();
    (await open(url)).close();
    const c = await sqlClient(url);
    await c.query("INSERT INTO bg_agents.schema_migrations(version) VALUES (99)");
    await expect(PgStore.open({ url })).rejects.toMatchObject({ code: "DB_SCHEMA_NEWER" });
    await c.query("CREATE SCHEMA foreign_one; CREATE TABLE foreign_one.agents (id int)");
    await expect(PgStore.open({ url, schema: "foreign_one" })).rejects.toMatchObject({ code: "DB_FOREIGN_SCHEMA" });
    expect((await c.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'foreign_one'")).rows[0].n).toBe(1);
  });
});

describe("start-up errors name DATABASE_URL and what to check", () => {
  it("a refused connection, a wrong password, a missing database", async () => {
    const nobody = `postgres://postgres@127.0.0.1:${await freePort()}/postgres`;
    await expect(PgStore.open({ url: nobody, retryAttempts: 1 })).rejects.toSatisfy((e: unknown) =>
      isDatabaseError(e) && e.code === "DB_UNREACHABLE" && /Cannot reach PostgreSQL at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Check DATABASE_URL/.test(e.message));

    const wrong = `postgres://${PASSWORD_USER}:not-it@127.0.0.1:${cluster.port}/postgres`;
    await expect(PgStore.open({ url: wrong })).rejects.toSatisfy((e: unknown) =>
      isDatabaseError(e) && e.code === "DB_AUTH_FAILED" && e.message.includes("Check the user and password in DATABASE_URL") && !e.message.includes("not-it"));
    const right = await open(`postgres://${PASSWORD_USER}:${PASSWORD}@127.0.0.1:${cluster.port}/postgres?sslmode=disable`, { schema: "pw_ok" });
    expect((await right.storageInfo()).location).toBe(`postgres://${PASSWORD_USER}:***@127.0.0.1:${cluster.port}/postgres?sslmode=disable (schema pw_ok)`);

    await expect(PgStore.open({ url: cluster.url("no_such_db") })).rejects.toSatisfy((e: unknown) =>
      isDatabaseError(e) && e.code === "DB_MISSING" && e.message.includes(`has no database "no_such_db"`) && e.message.includes("DATABASE_URL"));
  });

  it("a URL that is not postgres:// is a config error naming DATABASE_URL (without echoing it)", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://u:secret@h/db" })).toThrow(/^DATABASE_URL=\(hidden\) is invalid: expected a URL starting with postgres:\/\//);
    try {
      loadConfig({ DATABASE_URL: "postgres://u:p@[bad" });
      expect.unreachable();
    } catch (e) {
      expect(isConfigError(e) && e.variable === "DATABASE_URL").toBe(true);
    }
  });

  it("openStore picks PostgreSQL when DATABASE_URL is set, with DATABASE_SCHEMA", async () => {
    const url = await cluster.freshDatabase();
    const store = await openStore(loadConfig({ DATABASE_URL: url, DATABASE_SCHEMA: "picked" }));
    try {
      expect(store).toBeInstanceOf(PgStore);
      await store.updateHeartbeat("x");
      const c = await sqlClient(url);
      expect((await c.query("SELECT name FROM picked.agents")).rows).toEqual([{ name: "x" }]);
    } finally {
      await store.close();
    }
  });
});

describe("a server that goes away while running", () => {
  it("waits for it, logs one line when it goes and one when it is back, and loses no acknowledged write", async () => {
    const url = await cluster.freshDatabase();
    const lines: string[] = [];
    const store = await open(url, { log: (level, m) => lines.push(`${level}: ${m}`), reconnectWindowMs: 30_000 });
    for (let i = 0; i < 5; i++) await store.updateHeartbeat("w");
    await store.updateHeartbeat("long-silent");
    const c = await sqlClient(url);
    await c.query("UPDATE bg_agents.agents SET last_heartbeat = last_heartbeat - 600000 WHERE name = 'long-silent'");
    await c.end();
    cluster.stop();
    const pending = store.updateHeartbeat("w");
    const reads = store.getAgent("w");
    await new Promise((r) => setTimeout(r, 1500));
    cluster.start();
    await pending;
    expect((await reads)?.heartbeats).toBeGreaterThanOrEqual(5);
    expect((await store.getAgent("w"))?.heartbeats).toBe(6);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^warn: PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/\w+ is unreachable \(.+\); waiting up to 30s for it to come back$/);
    expect(lines[1]).toMatch(/^info: PostgreSQL at .+ is reachable again after \d+\.\ds$/);
    // nobody could heartbeat while it was gone: this process's sweep waits one threshold after it
    expect(await store.markStaleAgents(60_000)).toEqual([]);
    const elsewhere = await open(url);
    expect((await elsewhere.markStaleAgents(60_000)).map((a) => a.name)).toEqual(["long-silent"]);
  });

  it("a connection cut while checked out between two queries does not crash the process; the transaction runs again", async () => {
    const url = await cluster.freshDatabase();
    const store = await open(url, { log: () => undefined });
    const c = await sqlClient(url);
    let attempts = 0;
    const out = await store.core.tx(async (tx) => {
      attempts++;
      await tx.query("SELECT 1");
      if (attempts === 1) {
        // the server ends this session while it sits idle in its transaction (as a shutdown does)
        await c.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
        await new Promise((r) => setTimeout(r, 200));
      }
      return (await tx.query("SELECT 42 AS n")).rows[0].n as number;
    });
    expect(out).toBe(42);
    expect(attempts).toBe(2);
  });

  it("gives up after the window with DB_UNAVAILABLE, and works again once the server is back", async () => {
    const url = await cluster.freshDatabase();
    const store = await open(url, { log: () => undefined, reconnectWindowMs: 500 });
    await store.updateHeartbeat("w");
    cluster.stop();
    await expect(store.updateHeartbeat("w")).rejects.toMatchObject({ code: "DB_UNAVAILABLE" });
    cluster.start();
    await store.updateHeartbeat("w");
    expect((await store.getAgent("w"))?.heartbeats).toBe(2);
  });
});

describe("checkpoints", () => {
  it("keeps the newest CHECKPOINT_RETENTION checkpoints per thread, and the blobs they still use", async () => {
    const url = await cluster.freshDatabase();
    const store = await open(url, { checkpointRetention: 3 });
    const { StateGraph, Annotation, START, END } = await import("@langchain/langgraph");
    const State = Annotation.Root({ n: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }) });
    const graph = new StateGraph(State).addNode("inc", (s) => ({ n: s.n + 1 })).addEdge(START, "inc").addEdge("inc", END)
      .compile({ checkpointer: await store.createCheckpointer() });
    const config = { configurable: { thread_id: "t1" } };
    for (let i = 0; i < 6; i++) await graph.invoke({ n: i * 10 }, config);
    const c = await sqlClient(url);
    const count = async (t: string) => (await c.query(`SELECT count(*)::int AS n FROM bg_agents_checkpoints.${t} WHERE thread_id = 't1'`)).rows[0].n as number;
    expect(await count("checkpoints")).toBe(3);
    expect((await graph.getState(config)).values).toEqual({ n: 51 });
    expect((await graph.getStateHistory(config).next()).value?.values).toEqual({ n: 51 });
    // every blob left is referenced by a checkpoint left
    const orphans = await c.query(`SELECT count(*)::int AS n FROM bg_agents_checkpoints.checkpoint_blobs b WHERE NOT EXISTS (
      SELECT 1 FROM bg_agents_checkpoints.checkpoints k WHERE k.thread_id = b.thread_id AND k.checkpoint -> 'channel_versions' ->> b.channel = b.version)`);
    expect(orphans.rows[0].n).toBe(0);
    expect(await count("checkpoint_blobs")).toBeGreaterThan(0);
  });
});

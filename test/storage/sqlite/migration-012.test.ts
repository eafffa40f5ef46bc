/**
 * Migration 012 rebuilds the live-agent partial indexes of a schema-11 file with IS_LIVE as their
 * WHERE: the rows they index are the same, and the sweep (INDEXED BY them) finds the stale agents.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../../src/storage/sqlite/migrations.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { IS_LIVE } from "../../../src/storage/sqlite/state-sql.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("SQLite live-agent indexes (migration 012)", () => {
  it("are rebuilt from a schema-11 file, and the sweep still finds what they index", async () => {
    const path = join(makeTempDir(), "v11.db");
    const db = new Database(path);
    for (const m of MIGRATIONS.slice(0, 11)) db.exec(m);
    db.pragma("user_version = 11");
    const insert = db.prepare(`INSERT INTO agents (name, state, state_changed_at, registered_at, started_at, last_heartbeat, stale_after_ms) VALUES (?, ?, 1, 1, 1, ?, 500)`);
    for (const [n, s, hb] of [["old", "active", 1000], ["fresh", "active", 9000], ["gone", "stopped", 1000], ["erring", "error", 1000]] as const) insert.run(n, s, hb);
    db.close();

    const store = await openTestStore({ path, clock: new ManualClock(10_000) });
    // migration 013 then leaves one of them, by heartbeat age
    const sql = store.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'agents_live_heartbeat'`).pluck().get() as string;
    expect(sql).toContain(`WHERE ${IS_LIVE}`);
    const indexed = store.db.prepare(`SELECT name FROM agents INDEXED BY agents_live_heartbeat WHERE ${IS_LIVE} ORDER BY name`).pluck().all();
    expect(indexed).toEqual(["erring", "fresh", "old"]);
    const stale = await store.markStaleAgents(5000);
    expect(stale.map((s) => s.name).sort()).toEqual(["erring", "old"]);
  });
});

/**
 * SQLite's per-state counts (migration 011) start from the agents a file already had when it is
 * migrated; that they stay equal to the agents listed in each state is the conformance suite's
 * (test/storage/conformance/state-counts.ts).
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../../src/storage/sqlite/migrations.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("SQLite state counts (migration 011)", () => {
  it("start from the agents a file already had when it is migrated", async () => {
    const path = join(makeTempDir(), "v10.db");
    const db = new Database(path);
    for (const m of MIGRATIONS.slice(0, 10)) db.exec(m);
    db.pragma("user_version = 10");
    const insert = db.prepare(`INSERT INTO agents (name, state, state_changed_at, registered_at, started_at, last_heartbeat) VALUES (?, ?, 1, 1, 1, 1)`);
    for (const [n, s] of [["x", "active"], ["y", "active"], ["z", "stopped"]]) insert.run(n, s);
    db.close();
    const store = await openTestStore({ path });
    expect((await store.summary()).byState).toMatchObject({ active: 2, stopped: 1, stale: 0 });
    await store.updateAgentState("x", "stale", "t");
    expect((await store.summary()).byState).toMatchObject({ active: 1, stale: 1, stopped: 1 });
  });
});

/**
 * Migration 006 on a real schema-5 file: agent_transitions is rebuilt with AUTOINCREMENT keeping
 * every row and id, its indexes and the triggers; afterwards a deleted newest id is never reused.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS, SCHEMA_VERSION } from "../../../src/storage/sqlite/migrations.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

const schemaOf = (db: Database.Database, table: string) =>
  (db.prepare(`SELECT type, name FROM sqlite_master WHERE tbl_name = ? AND name NOT LIKE 'sqlite_%' ORDER BY type, name`).all(table) as { type: string; name: string }[])
    .map((r) => `${r.type} ${r.name}`);

/** A database as version 5 of the schema left it, with transitions whose newest rows were deleted. */
function schema5File(): { path: string; rows: unknown[] } {
  const path = join(makeTempDir(), "v5.db");
  const db = new Database(path);
  for (const m of MIGRATIONS.slice(0, 5)) db.exec(m);
  db.pragma("user_version = 5");
  const insert = db.prepare(`INSERT INTO agents (name, state, state_reason, state_changed_at, registered_at, started_at, last_heartbeat) VALUES (?, 'initializing', 'registered', ?, ?, ?, ?)`);
  const setState = db.prepare(`UPDATE agents SET state = ?, state_reason = ?, state_changed_at = ? WHERE name = ?`);
  for (const [i, name] of ["a", "b", "c"].entries()) {
    insert.run(name, 1000 + i, 1000, 1000, 1000);
    setState.run("active", "up", 2000 + i, name);
  }
  // the newest rows go, as a clean-up of "c" did: schema 5 would hand their ids out again
  db.prepare(`DELETE FROM agent_transitions WHERE agent = 'c'`).run();
  const rows = db.prepare(`SELECT * FROM agent_transitions ORDER BY id`).all();
  db.close();
  return { path, rows };
}

describe("migration 006: transition ids never repeat", () => {
  it("keeps every transition row and id, the indexes and the triggers, and is at the current version", async () => {
    const { path, rows } = schema5File();
    const before = new Database(path, { readonly: true });
    const transitionTriggers = (db: Database.Database) => schemaOf(db, "agents").filter((s) => s.startsWith("trigger agents_transition"));
    const triggersBefore = transitionTriggers(before);
    const indexesBefore = schemaOf(before, "agent_transitions");
    before.close();
    expect(rows).toHaveLength(4);

    const store = await openTestStore({ path });
    expect(store.db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.db.prepare(`SELECT * FROM agent_transitions ORDER BY id`).all()).toEqual(rows);
    expect(transitionTriggers(store.db)).toEqual(triggersBefore);
    expect(triggersBefore).toHaveLength(2);
    expect(schemaOf(store.db, "agent_transitions")).toEqual(indexesBefore);
    expect(store.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'agent_transitions'`).pluck().get()).toMatch(/AUTOINCREMENT/);
    // the triggers still write: a state change and a new agent each add one row
    await store.updateAgentState("a", "stopped", "t");
    await store.registerAgent("d");
    expect((await store.getTransitions({ agent: "a" })).map((t) => t.to)).toEqual(["initializing", "active", "stopped"]);
    expect((await store.getTransitions({ agent: "d" })).map((t) => [t.from, t.to, t.reason])).toEqual([[null, "initializing", "registered"]]);
  });

  it("after the migration, deleting the newest transitions does not free their ids", async () => {
    const { path } = schema5File();
    const store = await openTestStore({ path });
    await store.registerAgent("e");
    const newest = (await store.transitionsAfter(0)).at(-1)!;
    expect(newest.agent).toBe("e");
    await store.updateAgentState("e", "stopped", "t");
    await store.cleanupStale({ keep: ["a", "b"] });
    expect(await store.getTransitions({ agent: "e" })).toEqual([]);
    await store.registerAgent("f");
    const [f] = await store.getTransitions({ agent: "f" });
    expect(f!.id).toBe(newest.id + 2);
  });
});

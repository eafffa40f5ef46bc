/**
 * Migration 013 leaves one live-agent index (by heartbeat age, its entries carrying each agent's
 * bound) instead of two, and every sweep still finds what it found (query-plans.test.ts checks
 * how they read it).
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../../src/storage/sqlite/migrations.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

const ADAPTIVE = { detection: "adaptive" } as const;

describe("SQLite live-agent index (migration 013)", () => {
  it("one index replaces two on a schema-12 file; fixed and adaptive sweeps find the same agents", async () => {
    const path = join(makeTempDir(), "v12.db");
    const db = new Database(path);
    for (const m of MIGRATIONS.slice(0, 12)) db.exec(m);
    db.pragma("user_version = 12");
    const insert = db.prepare(`INSERT INTO agents (name, state, state_changed_at, registered_at, started_at, last_heartbeat, stale_after_ms) VALUES (?, ?, 1, 1, 1, ?, ?)`);
    for (const row of [
      ["own-bound", "active", 8000, 500], // past its own bound, not the threshold
      ["no-bound", "active", 8000, null], // no bound yet: only the threshold judges it
      ["old", "active", 1000, null],
      ["old-bound", "error", 1000, 60_000], // its bound is later than the threshold: the threshold wins
      ["fresh", "active", 9900, 500],
      ["gone", "stopped", 1000, 500],
    ] as const) insert.run(...row);
    db.close();

    const store = await openTestStore({ path, clock: new ManualClock(10_000) });
    const indexes = store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'agents' AND name LIKE 'agents_live%'`).pluck().all();
    expect(indexes).toEqual(["agents_live_heartbeat"]);
    const columns = store.db.prepare(`SELECT name FROM pragma_index_info('agents_live_heartbeat') ORDER BY seqno`).pluck().all();
    expect(columns).toEqual(["last_heartbeat", "stale_after_ms"]);

    const names = (r: { sample: { name: string }[] }) => r.sample.map((a) => a.name).sort();
    expect(names(await store.findStaleAgents(5000, 10))).toEqual(["old", "old-bound"]);
    expect(names(await store.findStaleAgents(5000, 10, ADAPTIVE))).toEqual(["old", "old-bound", "own-bound"]);
    expect((await store.findStaleAgents(5000, 1, ADAPTIVE)).count).toBe(3);
    expect((await store.markStaleAgents(5000, ADAPTIVE)).map((a) => a.name).sort()).toEqual(["old", "old-bound", "own-bound"]);
    expect((await store.getAgent("no-bound"))?.state).toBe("active");
  });
});

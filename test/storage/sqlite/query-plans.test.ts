/**
 * The reads the monitor makes every check must walk index ranges, not every row: at 100k agents a
 * walk of agents_state or of all transitions costs 5-20 ms per check where a range costs ~0.1 ms
 * (npm run bench -- --only=scale). The one exception is the adaptive sweep, which walks every entry
 * of the live index (no index orders agents by their own deadline: migration 013), never the
 * table. Without ANALYZE stats SQLite's choice is not stable, so the statements name their
 * indexes; this checks the plans SQLite actually makes.
 */
import Database from "better-sqlite3";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "../../../src/storage/sqlite/migrations.js";
import { prepareStatements } from "../../../src/storage/sqlite/statements.js";
import { transitionQuery } from "../../../src/storage/sqlite/transition-query.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

function plan(db: Database.Database, sql: string, params: Record<string, unknown>): string[] {
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail);
}

/** A full walk of a table or of an index over all its rows. */
const walksEverything = (steps: string[]) => steps.some((s) => /^SCAN /.test(s) || /INDEX agents_state\b/.test(s));

describe("query plans of the monitor's sweep", () => {
  const params = { asOf: 1_800_000_000_000, threshold: 30_000, limit: 20, now: 1_800_000_000_000 };
  const planOf = (name: "findStale" | "countStale" | "markStale" | "findStaleAdaptive" | "countStaleAdaptive" | "markStaleAdaptive") => {
    const db = new Database(join(makeTempDir(), "state.db"));
    try {
      migrate(db, "state.db");
      return plan(db, prepareStatements(db)[name].source, { ...params, cutoff: params.asOf - 30_000 });
    } finally {
      db.close();
    }
  };
  for (const name of ["findStale", "countStale", "markStale"] as const) {
    it(`${name} walks only a range of the live-agent index`, () => {
      const steps = planOf(name);
      expect(walksEverything(steps), steps.join(" | ")).toBe(false);
      expect(steps.join(" | ")).toMatch(/agents_live_heartbeat \(last_heartbeat<\?\)/);
    });
  }

  for (const name of ["findStaleAdaptive", "countStaleAdaptive", "markStaleAdaptive"] as const) {
    it(`${name} walks the live-agent index, not the table`, () => {
      const steps = planOf(name);
      const scans = steps.filter((s) => /^SCAN /.test(s));
      expect(scans, steps.join(" | ")).toEqual(["SCAN agents USING INDEX agents_live_heartbeat"]);
      expect(steps.some((s) => /INDEX agents_state\b/.test(s)), steps.join(" | ")).toBe(false);
    });
  }

  it("recent transitions (getTransitions since) are read by time, and the answer is the same", async () => {
    const store = await openTestStore({ path: join(makeTempDir(), "state.db") });
    await store.registerAgent("a");
    await store.updateAgentState("a", "active");
    const since = Date.now() - 60_000;
    const db = new Database(store.path, { readonly: true });
    try {
      for (const q of [{ since, from: "stale" as const, to: "active" as const }, { since }]) {
        const { sql, params } = transitionQuery(q);
        const steps = plan(db, sql, params);
        expect(walksEverything(steps), steps.join(" | ")).toBe(false);
      }
    } finally {
      db.close();
    }
    expect((await store.getTransitions({ since, to: "active" })).map((t) => [t.agent, t.to])).toEqual([["a", "active"]]);
    expect(await store.getTransitions({ since: Date.now() + 60_000 })).toEqual([]);
  });
});

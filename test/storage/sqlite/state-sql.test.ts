/** The SQL state lists come from the vocabulary, and still match what the frozen migrations built on them. */
import { describe, expect, it } from "vitest";
import { LIVE_STATES, REVIVABLE_STATES, AGENT_STATES } from "../../../src/storage/index.js";
import { IS_LIVE, LIVE_SQL, NOT_REVIVABLE, REVIVABLE_SQL, sqlList } from "../../../src/storage/sqlite/state-sql.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { removeTempDirs } from "../../helpers/temp-dir.js";

describe("SQL state lists", () => {
  it("quote each state as a SQL literal", () => {
    expect(LIVE_SQL).toBe(`(${LIVE_STATES.map((s) => `'${s}'`).join(",")})`);
    expect(REVIVABLE_SQL).toBe("('stale','stopped','failed')");
    expect(sqlList(["it's"])).toBe("('it''s')");
  });

  it("live and revivable states split every state in two", () => {
    expect([...LIVE_STATES, ...REVIVABLE_STATES].sort()).toEqual([...AGENT_STATES].sort());
  });

  it("the comparisons say what the lists say, for every state", async () => {
    const store = await openTestStore();
    try {
      const test = (sql: string, state: string) => store.db.prepare(`SELECT ${sql} FROM (SELECT ? AS state)`).pluck().get(state);
      for (const state of AGENT_STATES) {
        expect(test(IS_LIVE, state), state).toBe(LIVE_STATES.includes(state) ? 1 : 0);
        expect(test(NOT_REVIVABLE, state), state).toBe(REVIVABLE_STATES.includes(state) ? 0 : 1);
      }
    } finally {
      await closeStores();
      removeTempDirs();
    }
  });

  it("the live-agent partial index carries IS_LIVE word for word (the sweep is INDEXED BY it)", async () => {
    const store = await openTestStore();
    try {
      const sql = store.db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'agents_live_heartbeat'`).pluck().get() as string;
      expect(sql).toContain(`WHERE ${IS_LIVE}`);
    } finally {
      await closeStores();
      removeTempDirs();
    }
  });
});

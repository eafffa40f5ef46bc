/**
 * The agents list: the SQL path (SharedState) and the in-memory path (any other StateStore) give the
 * same pages for every sort key, order, state filter and name search; and the bind-safety rules.
 */
import { afterEach, describe, expect, it } from "vitest";
import { queryAgents } from "../../src/http/agent-query.js";
import { SORT_KEYS } from "../../src/http/schemas.js";
import { assertSafeBind, isLoopbackHost } from "../../src/http/safety.js";
import type { StateStore } from "../../src/storage/index.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("queryAgents", () => {
  it("gives the same result from SQL and from memory for every sort, order and filter", async () => {
    const clock = new ManualClock();
    const store = await openTestStore({ clock });
    const names = ["delta", "Alpha", "charlie", "bravo", "echo", "foxtrot", "golf", "hotel"];
    for (const [i, n] of names.entries()) {
      clock.advance(1000 * ((i * 7) % 5));
      await store.updateHeartbeat(n, { pid: i % 3 === 0 ? undefined : 100 + (i % 4), host: i % 2 ? `h${i % 3}` : undefined });
      if (i % 3 === 1) await store.recordError(n, "boom");
      if (i % 4 === 2) await store.noteRestart(n);
    }
    await store.updateAgentState("echo", "stale", "t");
    await store.updateAgentState("golf", "failed", "t");
    await store.registerAgent("hotel");
    clock.advance(5000);
    // the same store without its SQLite handle: the in-memory path
    const plain = { getRegisteredAgents: (q?: Parameters<StateStore["getRegisteredAgents"]>[0]) => store.getRegisteredAgents(q) } as unknown as StateStore;
    const now = clock.now();
    for (const sort of SORT_KEYS) {
      for (const order of ["asc", "desc"] as const) {
        for (const extra of [{}, { state: ["active" as const] }, { q: "o" }, { limit: 3, offset: 2 }]) {
          const q = { sort, order, ...extra };
          const sql = await queryAgents(store, q, now);
          const mem = await queryAgents(plain, q, now);
          expect({ q, names: sql.views.map((v) => v.name), total: sql.total }).toEqual({ q, names: mem.views.map((v) => v.name), total: mem.total });
        }
      }
    }
    const full = await queryAgents(store, {}, now);
    expect(full.views).toEqual(await queryAgents(plain, {}, now).then((r) => r.views));
    expect(full.views.map((v) => v.name)).toEqual((await store.getRegisteredAgents()).map((a) => a.name));
  });
});

describe("bind safety", () => {
  it("knows loopback addresses and refuses others without a token", () => {
    for (const h of ["127.0.0.1", "localhost", "::1", "127.3.4.5"]) expect(isLoopbackHost(h)).toBe(true);
    for (const h of ["0.0.0.0", "::", "192.168.1.4", "example.com"]) expect(isLoopbackHost(h)).toBe(false);
    expect(() => assertSafeBind("0.0.0.0", undefined)).toThrow(/API_TOKEN/);
    expect(() => assertSafeBind("0.0.0.0", "a-long-enough-token")).not.toThrow();
    expect(() => assertSafeBind("127.0.0.1", undefined)).not.toThrow();
  });
});

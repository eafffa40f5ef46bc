/**
 * ReadModel lists: every sort key and order, state filter, name search and page agrees with a
 * plain in-memory reference written from the AgentSortKey documentation; bad queries are refused.
 */
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../../src/errors/index.js";
import {
  AGENT_SORT_KEYS, LIVE_STATES, STATE_SORT_ORDER, type AgentQuery, type AgentRecord, type AgentSortKey, type AgentState,
} from "../../../src/storage/index.js";
import type { Open } from "./harness.js";

/** The reference order, written from the AgentSortKey documentation. */
const KEY: Record<AgentSortKey, (r: AgentRecord) => number | string> = {
  name: (r) => r.name,
  state: (r) => STATE_SORT_ORDER.indexOf(r.state),
  lastHeartbeat: (r) => -r.lastHeartbeat,
  uptime: (r) => (LIVE_STATES.includes(r.state) ? -r.startedAt : -9e18),
  restarts: (r) => r.restarts,
  errorCount: (r) => r.errorCount,
  pid: (r) => r.pid ?? -1,
  host: (r) => r.host ?? "",
};

function reference(all: AgentRecord[], q: AgentQuery): AgentRecord[] {
  const dir = q.order === "desc" ? -1 : 1;
  const key = KEY[q.sort ?? "name"];
  const byName = (a: AgentRecord, b: AgentRecord) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const rows = all
    .filter((r) => !q.states?.length || q.states.includes(r.state))
    .filter((r) => !q.nameContains || r.name.toLowerCase().includes(q.nameContains.toLowerCase()))
    .sort((a, b) => {
      const ka = key(a), kb = key(b);
      return (ka < kb ? -dir : ka > kb ? dir : 0) || byName(a, b);
    });
  return rows.slice(q.offset ?? 0, q.limit === undefined ? undefined : (q.offset ?? 0) + q.limit);
}

export function listingSuite(open: Open): void {
  describe("getRegisteredAgents / countAgents", () => {
    it("sorts, filters and pages as documented, for every key and order, ties by name", async () => {
      const { store, clock } = await open();
      const names = ["delta", "Alpha", "charlie", "bravo", "echo", "foxtrot", "golf", "hotel"];
      for (const [i, n] of names.entries()) {
        await clock.advance(1000 * ((i * 7) % 5));
        await store.updateHeartbeat(n, { pid: i % 3 === 0 ? undefined : 100 + (i % 4), host: i % 2 ? `h${i % 3}` : undefined });
        if (i % 3 === 1) await store.recordError(n, "boom");
        if (i % 4 === 2) await store.noteRestart(n);
      }
      await store.updateAgentState("echo", "stale", "t");
      await store.updateAgentState("golf", "failed", "t");
      await store.registerAgent("hotel");
      await clock.advance(5000);
      const all = await store.getRegisteredAgents();
      expect(all.map((a) => a.name)).toEqual([...names].sort());
      // ties exist for every key but name (equal restarts, errors, pids, hosts, heartbeats, states)
      for (const sort of AGENT_SORT_KEYS.filter((k) => k !== "name")) expect(new Set(all.map(KEY[sort])).size, sort).toBeLessThan(all.length);
      for (const sort of AGENT_SORT_KEYS) {
        for (const order of ["asc", "desc"] as const) {
          for (const extra of [{}, { states: ["active" as const, "failed" as const] }, { nameContains: "O" }, { limit: 3, offset: 2 }, { offset: 6 }, { limit: 1 }, { offset: 100 }]) {
            const q: AgentQuery = { sort, order, ...extra };
            const got = await store.getRegisteredAgents(q);
            expect({ q, names: got.map((a) => a.name) }).toEqual({ q, names: reference(all, q).map((a) => a.name) });
            expect(await store.countAgents(q)).toBe(reference(all, { ...q, limit: undefined, offset: undefined }).length);
          }
        }
      }
      expect(await store.countAgents()).toBe(names.length);
      expect(await store.countAgents({ states: ["stale"], nameContains: "ECH" })).toBe(1);
      expect(await store.countAgents({ nameContains: "zzz" })).toBe(0);
    });

    it("returns whole records, the same as getAgent", async () => {
      const { store } = await open();
      await store.registerAgent("r", { pid: 1, host: "h", version: "v", meta: { k: "v" } });
      await store.recordError("r", "e");
      expect(await store.getRegisteredAgents()).toEqual([await store.getAgent("r")]);
    });

    it("refuses an unknown state or sort key with a ValidationError", async () => {
      const { store } = await open();
      await expect(store.getRegisteredAgents({ states: ["sleepy" as AgentState] })).rejects.toThrow(ValidationError);
      await expect(store.countAgents({ states: ["sleepy" as AgentState] })).rejects.toThrow(/Unknown state "sleepy"/);
      await expect(store.getRegisteredAgents({ sort: "age" as AgentSortKey })).rejects.toThrow(/Unknown sort key "age"/);
    });
  });
}

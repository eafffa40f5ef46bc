/**
 * Listing agents through the StateStore: every sort key and order, state filter, name search and
 * page agrees with a plain in-memory reference; bad queries are refused; and the read helpers the
 * server uses (countTransitions, changeToken, storageInfo, probeWriteLock) do what they say.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors/index.js";
import {
  AGENT_SORT_KEYS, STATE_SORT_ORDER, type AgentQuery, type AgentRecord, type AgentSortKey, type AgentState,
} from "../../src/storage/index.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

const UP: AgentState[] = ["initializing", "active", "error", "recovering"];
/** The reference order, written from the AgentSortKey documentation. */
const KEY: Record<AgentSortKey, (r: AgentRecord) => number | string> = {
  name: (r) => r.name,
  state: (r) => STATE_SORT_ORDER.indexOf(r.state),
  lastHeartbeat: (r) => -r.lastHeartbeat,
  uptime: (r) => (UP.includes(r.state) ? -r.startedAt : -9e18),
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

describe("getRegisteredAgents / countAgents", () => {
  it("sorts, filters and pages as documented, for every key and order", async () => {
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
    const all = await store.getRegisteredAgents();
    expect(all.map((a) => a.name)).toEqual([...names].sort());
    for (const sort of AGENT_SORT_KEYS) {
      for (const order of ["asc", "desc"] as const) {
        for (const extra of [{}, { states: ["active" as const, "failed" as const] }, { nameContains: "O" }, { limit: 3, offset: 2 }, { offset: 6 }]) {
          const q: AgentQuery = { sort, order, ...extra };
          const got = await store.getRegisteredAgents(q);
          expect({ q, names: got.map((a) => a.name) }).toEqual({ q, names: reference(all, q).map((a) => a.name) });
          expect(await store.countAgents(q)).toBe(reference(all, { ...q, limit: undefined, offset: undefined }).length);
        }
      }
    }
  });

  it("refuses an unknown state or sort key with a ValidationError", async () => {
    const store = await openTestStore();
    await expect(store.getRegisteredAgents({ states: ["sleepy" as AgentState] })).rejects.toThrow(ValidationError);
    await expect(store.countAgents({ states: ["sleepy" as AgentState] })).rejects.toThrow(/Unknown state "sleepy"/);
    await expect(store.getRegisteredAgents({ sort: "age" as AgentSortKey })).rejects.toThrow(/Unknown sort key "age"/);
  });
});

describe("store read helpers for the server", () => {
  it("changeToken moves with every kind of agent change and stays put otherwise", async () => {
    const clock = new ManualClock();
    const store = await openTestStore({ clock });
    await store.updateHeartbeat("a");
    const seen = [await store.changeToken()];
    expect(await store.changeToken()).toBe(seen[0]);
    const steps: (() => Promise<unknown>)[] = [
      () => (clock.advance(10), store.updateHeartbeat("a")),
      () => store.recordError("a", "x"),
      () => store.noteRestart("a"),
      () => store.requestRestart("a"),
      () => (clock.advance(10), store.updateAgentState("a", "stopped", "t")),
      () => store.cleanupStale(),
    ];
    for (const step of steps) {
      await step();
      const token = await store.changeToken();
      expect(seen).not.toContain(token);
      seen.push(token);
    }
  });

  it("countTransitions counts by target state, incrementally from an id", async () => {
    const store = await openTestStore();
    await store.registerAgent("a");
    await store.updateAgentState("a", "active");
    const first = await store.countTransitions(0);
    expect(first.byTarget).toEqual({ initializing: 1, active: 1 });
    await store.updateAgentState("a", "stale");
    await store.updateAgentState("a", "active");
    const next = await store.countTransitions(first.lastId);
    expect(next.byTarget).toEqual({ stale: 1, active: 1 });
    expect(next.lastId).toBeGreaterThan(first.lastId);
    expect(await store.countTransitions(next.lastId)).toEqual({ lastId: next.lastId, byTarget: {} });
  });

  it("storageInfo gives the file and WAL sizes; probeWriteLock takes the lock", async () => {
    const store = await openTestStore();
    await store.updateHeartbeat("a");
    const info = await store.storageInfo();
    expect(info.location).toBe(store.path);
    expect(info.dbBytes).toBeGreaterThan(0);
    expect(info.walBytes).toBeGreaterThan(0);
    expect(await store.probeWriteLock()).toBeGreaterThanOrEqual(0);
    // held elsewhere in this process, the probe waits for it
    let release!: () => void;
    const held = store.lock.run(() => new Promise<void>((r) => (release = r)));
    let probed = false;
    const probe = store.probeWriteLock().then(() => (probed = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(probed).toBe(false);
    release();
    await Promise.all([held, probe]);
    expect(probed).toBe(true);
  });
});

/**
 * The per-state counts the summary reads (migration 011, kept by triggers) always equal a count
 * over the agents table: after any sequence of registrations, state changes, heartbeats (single,
 * batched, reviving, registering), stale sweeps and clean-ups, and after migrating a file that
 * already had agents.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AGENT_STATES, type AgentState } from "../../../src/storage/index.js";
import { MIGRATIONS } from "../../../src/storage/sqlite/migrations.js";
import type { SharedState } from "../../../src/storage/sqlite/index.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

function counted(db: Database.Database): Record<string, number> {
  const rows = db.prepare(`SELECT state, count(*) AS n FROM agents GROUP BY state`).all() as { state: string; n: number }[];
  return Object.fromEntries(AGENT_STATES.map((s) => [s, rows.find((r) => r.state === s)?.n ?? 0]));
}

const name = fc.constantFrom("a", "b", "c", "d", "e");
const op = fc.oneof(
  fc.record({ kind: fc.constant("register" as const), name }),
  fc.record({ kind: fc.constant("state" as const), name, state: fc.constantFrom(...AGENT_STATES) }),
  fc.record({ kind: fc.constant("beat" as const), name }),
  fc.record({ kind: fc.constant("beats" as const), names: fc.array(name, { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ kind: fc.constant("sweep" as const), adaptive: fc.boolean() }),
  fc.record({ kind: fc.constant("cleanup" as const) }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Applies `o`; returns how many agents a clean-up removed (to check the property saw deletions). */
async function apply(store: SharedState, clock: ManualClock, o: Op): Promise<number> {
  const ignoreMissing = (p: Promise<unknown>) => p.catch((e: { code?: string }) => {
    if (e.code !== "AGENT_NOT_FOUND") throw e;
  });
  if (o.kind === "register") await store.registerAgent(o.name);
  if (o.kind === "state") await ignoreMissing(store.updateAgentState(o.name, o.state as AgentState));
  if (o.kind === "beat") await store.updateHeartbeat(o.name);
  if (o.kind === "beats") await store.updateHeartbeats(o.names.map((n) => ({ name: n })));
  if (o.kind === "wait") clock.advance(o.ms);
  if (o.kind === "sweep") await store.markStaleAgents(5_000, { detection: o.adaptive ? "adaptive" : "fixed" });
  if (o.kind === "cleanup") return (await store.cleanupStale({ olderThanMs: 0 })).removed.length;
  return 0;
}

describe("state counts kept by triggers", () => {
  it("equal a count over the agents table after any sequence of writes", async () => {
    let removed = 0;
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 40 }), async (ops) => {
      const clock = new ManualClock(1_800_000_000_000);
      const store = await openTestStore({ path: join(makeTempDir(), "state.db"), clock });
      try {
        for (const o of ops) removed += await apply(store, clock, o);
        const { byState, total } = await store.summary();
        const truth = counted(store.db);
        expect(byState).toEqual(truth);
        expect(total).toBe(Object.values(truth).reduce((a, b) => a + b, 0));
      } finally {
        await store.close();
      }
    }), { numRuns: 100 });
    expect(removed).toBeGreaterThan(0);
  });

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

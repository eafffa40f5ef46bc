/**
 * ReadModel.summary: its counts (kept by triggers on both backends) equal the agents listed in each
 * state after any sequence of registrations, state changes, heartbeats (single, batched, reviving,
 * registering), stale sweeps, clean-ups and removals.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AGENT_STATES, type AgentState, type StateStore } from "../../../src/storage/index.js";
import type { Open } from "./harness.js";

const name = fc.constantFrom("a", "b", "c", "d", "e");
const op = fc.oneof(
  fc.record({ kind: fc.constant("register" as const), name }),
  fc.record({ kind: fc.constant("state" as const), name, state: fc.constantFrom(...AGENT_STATES) }),
  fc.record({ kind: fc.constant("beat" as const), name }),
  fc.record({ kind: fc.constant("beats" as const), names: fc.array(name, { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant("wait" as const), ms: fc.integer({ min: 1, max: 20_000 }) }),
  fc.record({ kind: fc.constant("sweep" as const), adaptive: fc.boolean() }),
  fc.record({ kind: fc.constant("cleanup" as const) }),
  fc.record({ kind: fc.constant("remove" as const), name }),
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Applies `o`; returns how many agents it deleted (so the property is seen to cover deletions). */
async function apply(store: StateStore, advance: (ms: number) => Promise<void>, o: Op): Promise<number> {
  const unlessMissing = (p: Promise<unknown>) => p.catch((e: { code?: string }) => {
    if (e.code !== "AGENT_NOT_FOUND") throw e;
  });
  switch (o.kind) {
    case "register": await store.registerAgent(o.name); return 0;
    case "state": await unlessMissing(store.updateAgentState(o.name, o.state as AgentState)); return 0;
    case "beat": await store.updateHeartbeat(o.name); return 0;
    case "beats": await store.updateHeartbeats(o.names.map((n) => ({ name: n }))); return 0;
    case "wait": await advance(o.ms); return 0;
    case "sweep": await store.markStaleAgents(5_000, { detection: o.adaptive ? "adaptive" : "fixed" }); return 0;
    case "cleanup": return (await store.cleanupStale({ olderThanMs: 0 })).removed.length;
    case "remove": return (await store.fleet.removeAgents([o.name])).length;
  }
}

export function stateCountSuite(open: Open): void {
  describe("summary counts", () => {
    it("equal the agents listed in each state after any sequence of writes", async () => {
      let deleted = 0;
      await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30 }), async (ops) => {
        const { store, clock } = await open();
        for (const o of ops) deleted += await apply(store, (ms) => clock.advance(ms), o);
        const listed = await store.getRegisteredAgents();
        const truth = Object.fromEntries(AGENT_STATES.map((s) => [s, listed.filter((a) => a.state === s).length]));
        const { byState, total } = await store.summary();
        expect(byState).toEqual(truth);
        expect(total).toBe(listed.length);
      }), { numRuns: 25 });
      expect(deleted).toBeGreaterThan(0);
    });
  });
}

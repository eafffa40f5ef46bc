/**
 * The SQLite-rendered agent list (SharedState.agentViewsJson, used by GET /api/agents) must be the
 * very objects toAgentView builds (used by GET /api/agents/:name and `bg-agents status --json`),
 * for every state, odd value and page; and the server's fallback for stores without it agrees.
 */
import { afterEach, describe, expect, it } from "vitest";
import { queryAgents } from "../../../src/http/agent-query.js";
import { AGENT_SORT_KEYS, AGENT_STATES, type AgentQuery, type StateStore } from "../../../src/storage/index.js";
import { toAgentView } from "../../../src/views/agent-view.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

async function variedFleet() {
  const clock = new ManualClock(Date.UTC(2026, 10, 28, 12, 0, 0, 7));
  const store = await openTestStore({ clock });
  const names = ['<img src=x onerror=alert(1)>', "quote's \"double\"", "ünïcødé ☃ 🚀", "back\\slash", "a", "Z", "tab\u00a0nbsp"];
  for (const [i, state] of AGENT_STATES.entries()) names.push(`state-${state}-${i}`);
  for (const [i, n] of names.entries()) {
    await store.updateHeartbeat(n, {
      pid: i % 3 ? 1000 + i : undefined, host: i % 2 ? `host-${i}` : undefined, version: i % 4 ? undefined : "1.2.3",
      rssBytes: i % 5 ? 2 ** 40 + i : undefined, cpuPercent: i % 3 ? 0.1 + 0.2 * i : 0, eventLoopLagMs: i % 2 ? 1 / 3 : undefined,
      writeLatencyMs: i % 4 ? 0.30000000000000004 : undefined,
    });
    if (i % 3 === 0) await store.recordError(n, `boom "${i}"\n\tline two <b>bold</b> 'x'`);
    if (i % 4 === 1) await store.noteRestart(n);
    if (i % 5 === 2) await store.requestRestart(n);
    clock.advance(37_123 * i);
  }
  for (const [i, state] of AGENT_STATES.entries()) await store.updateAgentState(`state-${state}-${i}`, state, `set to ${state}`);
  // uptimes of seconds, minutes, hours and days; one started "in the future" (clock skew) clamps to 0
  const starts: [string, number][] = [["a", 5_000], ["Z", 59_999], ["back\\slash", 3_600_000 * 5 + 61_000], ["ünïcødé ☃ 🚀", 86_400_000 * 3 + 3_600_000 * 7], ["tab\u00a0nbsp", -10_000]];
  for (const [name, ago] of starts) store.db.prepare(`UPDATE agents SET started_at = ?, last_heartbeat = ? WHERE name = ?`).run(clock.now() - ago, clock.now() - ago, name);
  return { store, now: clock.now() + 1234 };
}

describe("agentViewsJson", () => {
  it("renders exactly what toAgentView builds, field for field", async () => {
    const { store, now } = await variedFleet();
    const { json, count } = await store.agentViewsJson({}, now);
    const expected = (await store.getRegisteredAgents()).map((r) => toAgentView(r, now));
    expect(count).toBe(expected.length);
    expect(JSON.parse(json)).toEqual(expected);
    // key order too, so the two lists serialize alike
    expect(Object.keys(JSON.parse(json)[0])).toEqual(Object.keys(expected[0]!));
    // every uptime style occurs
    const texts = expected.map((v) => v.uptimeText).join(" ");
    for (const unit of [/\d+d \d+h/, /\d+h \d+m/, /\d+m \d+s/, /(^| )\d+s/]) expect(texts).toMatch(unit);
  });

  it("agrees on late (LATE_AFTER) and on activity", async () => {
    const { store, now } = await variedFleet();
    const activity = { status: "running" as const, node: "act", step: 2, threadId: "t-1", runStartedAt: now - 5, lastProgressAt: now - 1, running: 1, lastRun: null };
    await store.updateHeartbeat("a", { activity });
    for (const lateAfterMs of [1, 60_000, 3_600_000]) {
      const { json } = await store.agentViewsJson({}, now, { lateAfterMs });
      const expected = (await store.getRegisteredAgents()).map((r) => toAgentView(r, now, { lateAfterMs }));
      expect(JSON.parse(json)).toEqual(expected);
      const late = expected.filter((v) => v.late).map((v) => v.name);
      // late only in a live state, and only past the bound
      for (const v of expected) expect(v.late).toBe(["initializing", "active", "error", "recovering"].includes(v.state) && v.lastHeartbeatAgeMs > lateAfterMs);
      if (lateAfterMs === 60_000) expect(late.length).toBeGreaterThan(0);
    }
    const [a] = JSON.parse((await store.agentViewsJson({ nameContains: "a", limit: 100 }, now)).json).filter((v: { name: string }) => v.name === "a");
    expect(a.activity).toEqual(activity);
  });

  it("pages, sorts and filters as getRegisteredAgents does", async () => {
    const { store, now } = await variedFleet();
    for (const sort of AGENT_SORT_KEYS) {
      for (const extra of [{ order: "desc" as const }, { states: ["stale" as const, "active" as const] }, { nameContains: "STATE" }, { limit: 4, offset: 3 }]) {
        const q: AgentQuery = { sort, ...extra };
        const names = (JSON.parse((await store.agentViewsJson(q, now)).json) as { name: string }[]).map((v) => v.name);
        expect({ q, names }).toEqual({ q, names: (await store.getRegisteredAgents(q)).map((r) => r.name) });
      }
    }
  });

  it("the server's fallback for a store without it gives the same body and totals", async () => {
    const { store, now } = await variedFleet();
    const plain = {
      getRegisteredAgents: (q?: AgentQuery) => store.getRegisteredAgents(q),
      countAgents: (f?: AgentQuery) => store.countAgents(f),
    } as unknown as StateStore;
    for (const q of [{}, { state: ["stale" as const] }, { sort: "uptime" as const, limit: 5, offset: 1 }]) {
      const fast = await queryAgents(store, q, now);
      const slow = await queryAgents(plain, q, now);
      expect(fast.total).toBe(slow.total);
      expect(JSON.parse(fast.json)).toEqual(JSON.parse(slow.json));
    }
  });
});

/**
 * PerfStore.readFleet / collectSample above the per-agent detail cap, on a real SQLite file:
 * fleet-wide figures (live and stale counts, heartbeat-age percentiles, error rate) match a
 * brute-force computation over every agent, whatever the cap; the per-agent detail is capped,
 * live only, holds the CPU/RSS/error outliers and otherwise the most recently active agents,
 * never the long-dead ones; and a sample cycle at 10k agents stays well under 100 ms.
 */
import { afterEach, describe, expect, it } from "vitest";
import { collectSample } from "../../src/agents/performance/sample.js";
import { FLEET_DETAIL_LIMIT, PERF_METRICS as M, type PerfSample } from "../../src/storage/index.js";
import { type SharedState } from "../../src/storage/sqlite/index.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { mulberry32 } from "../helpers/random.js";

const NOW = 1_700_000_000_000;
const SINCE = NOW - 30_000;
const DAY = 86_400_000;
const LIVE = ["initializing", "active", "error", "recovering"];

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});


interface Seeded {
  name: string;
  state: string;
  hb: number;
  cpu: number | null;
  rss: number | null;
}

/**
 * `n` agents: ~87% live with fresh heartbeats (0-60 s, a few slow ones up to 10 min; a few
 * without CPU/RSS yet), ~10% stale since days ago, the rest stopped/failed long ago; errors
 * for ~5% of them, some before SINCE.
 */
function seed(store: SharedState, n: number, rnd: () => number): { agents: Seeded[]; errors: Array<{ agent: string; at: number }> } {
  const agents: Seeded[] = [];
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const name = `agent-${String(i).padStart(5, "0")}`;
    if (r < 0.87) {
      const state = r < 0.8 ? "active" : LIVE[i % 4]!;
      const age = rnd() < 0.95 ? Math.floor(rnd() * 60_000) : Math.floor(rnd() * 600_000);
      const hasFigures = rnd() > 0.02;
      agents.push({ name, state, hb: NOW - age, cpu: hasFigures ? +(rnd() * 5).toFixed(3) : null, rss: hasFigures ? Math.floor(30e6 + rnd() * 200e6) : null });
    } else if (r < 0.97) {
      agents.push({ name, state: "stale", hb: NOW - DAY - Math.floor(rnd() * 30 * DAY), cpu: 99, rss: 4e9 });
    } else {
      agents.push({ name, state: rnd() < 0.5 ? "stopped" : "failed", hb: NOW - 60 * DAY, cpu: 50, rss: 3e9 });
    }
  }
  const errors: Array<{ agent: string; at: number }> = [];
  for (const a of agents) {
    if (rnd() > 0.05) continue;
    const k = 1 + Math.floor(rnd() * 6);
    for (let j = 0; j < k; j++) errors.push({ agent: a.name, at: NOW - Math.floor(rnd() * 90_000) });
  }
  const insert = store.db.prepare(`INSERT INTO agents (name, state, state_changed_at, registered_at, started_at, last_heartbeat, cpu_percent, rss_bytes, hb_latency_ms, loop_lag_ms, hb_count, hb_mean_ms)
    VALUES (@name, @state, @hb, @hb, @hb, @hb, @cpu, @rss, 1.5, 2.5, 12, 1000)`);
  const insertError = store.db.prepare(`INSERT INTO agent_errors (agent, at, message) VALUES (?, ?, 'boom')`);
  store.db.transaction(() => {
    for (const a of agents) insert.run(a);
    for (const e of errors) insertError.run(e.agent, e.at);
  })();
  store.db.exec("ANALYZE"); // as a long-running database would have (and must not change the plans' results)
  return { agents, errors };
}

/** The figures computed the slow, obvious way over every agent. */
function bruteForce(agents: Seeded[], errors: Array<{ agent: string; at: number }>) {
  const live = agents.filter((a) => LIVE.includes(a.state));
  const ages = live.map((a) => Math.max(0, NOW - a.hb)).sort((a, b) => a - b);
  const rank = (p: number) => (ages.length ? ages[Math.min(ages.length - 1, Math.max(0, Math.ceil((p / 100) * ages.length) - 1))]! : 0);
  const recent = errors.filter((e) => e.at >= SINCE);
  const errorsByAgent: Record<string, number> = {};
  for (const e of recent) errorsByAgent[e.agent] = (errorsByAgent[e.agent] ?? 0) + 1;
  return {
    live, errorsByAgent,
    totals: {
      live: live.length, stale: agents.filter((a) => a.state === "stale").length, errors: recent.length,
      heartbeatAgeP50Ms: rank(50), heartbeatAgeP95Ms: rank(95), heartbeatAgeMaxMs: ages.at(-1) ?? 0,
    },
  };
}

const valueOf = (samples: PerfSample[], metric: string, agent = "") => samples.find((s) => s.metric === metric && (s.agent ?? "") === agent)?.value;

describe("PerfStore.readFleet above the detail cap", () => {
  it("computes fleet-wide figures over all 1,200 agents and caps the detail without bias", async () => {
    const store = await openTestStore();
    const { agents, errors } = seed(store, 1200, mulberry32(7));
    const brute = bruteForce(agents, errors);
    expect(brute.live.length).toBeGreaterThan(FLEET_DETAIL_LIMIT); // the case the old ORDER BY last_heartbeat LIMIT 500 got wrong
    expect(brute.totals.stale).toBeGreaterThan(50);

    const r = await store.perf.readFleet(NOW, SINCE);
    expect(r.totals).toEqual(brute.totals);
    expect(r.errorsByAgent).toEqual(brute.errorsByAgent);
    // a smaller cap changes the detail, never the totals
    expect((await store.perf.readFleet(NOW, SINCE, 10)).totals).toEqual(brute.totals);

    // the detail: exactly the cap, distinct, live only
    expect(r.agents).toHaveLength(FLEET_DETAIL_LIMIT);
    const names = new Set(r.agents.map((a) => a.name));
    expect(names.size).toBe(FLEET_DETAIL_LIMIT);
    const byName = new Map(agents.map((a) => [a.name, a]));
    expect(r.agents.every((a) => LIVE.includes(byName.get(a.name)!.state))).toBe(true);
    for (const a of r.agents) {
      const s = byName.get(a.name)!;
      expect(a).toEqual({ name: s.name, state: s.state, ageMs: NOW - s.hb, cpuPercent: s.cpu, rssBytes: s.rss, heartbeatLatencyMs: 1.5, eventLoopLagMs: 2.5, heartbeatGapMs: 1000 });
    }
    // the outliers thresholds are about are in: top CPU, top RSS, most errors among live agents
    const top = (key: (a: Seeded) => number | null, k: number) =>
      brute.live.filter((a) => key(a) !== null).sort((a, b) => key(b)! - key(a)!).slice(0, k).map((a) => a.name);
    const outliers = FLEET_DETAIL_LIMIT / 10;
    // (strictly inside the top k: ties at the boundary may be broken either way)
    for (const n of top((a) => a.cpu, outliers - 5)) expect(names, `top CPU ${n}`).toContain(n);
    for (const n of top((a) => a.rss, outliers - 5)) expect(names, `top RSS ${n}`).toContain(n);
    const liveErring = Object.entries(brute.errorsByAgent).filter(([n]) => LIVE.includes(byName.get(n)!.state));
    const maxErrors = Math.max(...liveErring.map(([, k]) => k));
    for (const [n] of liveErring.filter(([, k]) => k === maxErrors).slice(0, outliers)) expect(names, `most errors ${n}`).toContain(n);
    // the rest are the most recently active: everything fresher than the oldest non-outlier picked is in
    const freshest = [...brute.live].sort((a, b) => b.hb - a.hb);
    const k = FLEET_DETAIL_LIMIT - 3 * outliers;
    for (const a of freshest.slice(0, k)) expect(names, `fresh ${a.name}`).toContain(a.name);
    // and the long-dead stale records that used to crowd them out are nowhere
    expect(r.agents.some((a) => byName.get(a.name)!.hb < NOW - DAY)).toBe(false);
  });

  it("collectSample writes the fleet-wide figures of every agent and per-agent samples of the detail only", async () => {
    const store = await openTestStore();
    const { agents, errors } = seed(store, 1200, mulberry32(11));
    const brute = bruteForce(agents, errors);
    const samples = await collectSample(store, store.path, NOW, SINCE);
    expect(valueOf(samples, M.agentsLive)).toBe(brute.totals.live);
    expect(valueOf(samples, M.agentsStale)).toBe(brute.totals.stale);
    expect(valueOf(samples, M.heartbeatAgeP50)).toBe(brute.totals.heartbeatAgeP50Ms);
    expect(valueOf(samples, M.heartbeatAgeP95)).toBe(brute.totals.heartbeatAgeP95Ms);
    expect(valueOf(samples, M.heartbeatAgeMax)).toBe(brute.totals.heartbeatAgeMaxMs);
    expect(valueOf(samples, M.agentsErrorsPerMin)).toBeCloseTo(brute.totals.errors / 0.5, 3);
    expect(valueOf(samples, M.agentsSampled)).toBe(FLEET_DETAIL_LIMIT);
    // every metric is written (activations only happen on start-up)
    expect(samples.map((s) => s.metric)).toEqual(expect.arrayContaining(Object.values(M).filter((m) => m !== M.agentActivation)));
    const perAgent = new Set(samples.filter((s) => s.agent).map((s) => s.agent));
    expect(perAgent.size).toBe(FLEET_DETAIL_LIMIT);
    // per-agent error rates are right for the agents sampled
    for (const s of samples.filter((x) => x.metric === M.agentErrorsPerMin && x.agent)) {
      expect(s.value, s.agent).toBeCloseTo((brute.errorsByAgent[s.agent!] ?? 0) / 0.5, 3);
    }
  });

  it("handles an empty fleet and a fleet under the cap", async () => {
    const store = await openTestStore();
    const empty = await store.perf.readFleet(NOW, SINCE);
    expect(empty.totals).toEqual({ live: 0, stale: 0, errors: 0, heartbeatAgeP50Ms: 0, heartbeatAgeP95Ms: 0, heartbeatAgeMaxMs: 0 });
    expect(empty.agents).toEqual([]);
    const { agents, errors } = seed(store, 40, mulberry32(3));
    const brute = bruteForce(agents, errors);
    const r = await store.perf.readFleet(NOW, SINCE);
    expect(r.totals).toEqual(brute.totals);
    expect(r.agents.map((a) => a.name).sort()).toEqual(brute.live.map((a) => a.name).sort());
  });

  it("at 10k agents: totals over all of them, per-agent detail capped, a whole sample cycle records (timing: npm run bench)", async () => {
    const store = await openTestStore();
    const { agents, errors } = seed(store, 10_000, mulberry32(5));
    const brute = bruteForce(agents, errors);
    const r = await store.perf.readFleet(NOW, SINCE);
    expect(r.totals).toEqual(brute.totals);
    expect(r.agents.length).toBe(Math.min(FLEET_DETAIL_LIMIT, brute.live.length));
    const samples = await collectSample(store, store.path, NOW, SINCE);
    await store.perf.record(NOW, samples);
    await store.perf.prune(NOW);
    expect(samples.find((x) => x.metric === M.agentsLive)?.value).toBe(brute.totals.live);
  }, 60_000);
});

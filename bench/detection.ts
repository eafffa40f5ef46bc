/**
 * Detection: the fixed rule against the adaptive (phi accrual) detector on the same seeded,
 * simulated fleets (simulated time, nothing sleeps): ±50% heartbeat jitter, heavy-tailed write
 * delays, a 2 s event-loop stall in some agents, some agents dying, a forward jump of the host
 * clock. Latency = first stale verdict minus the dead agent's last heartbeat; a false positive =
 * a stale verdict on an agent that was still alive.
 * Scenarios: a mixed fleet (1 s, 10 s, 30 s, 5 min), the seed's defaults (30 s beats, 120 s,
 * checked every 30 s, and every 5 s), and Kubernetes' node settings (10 s beats, checked every 5 s,
 * 50 s grace) for the comparison with its ~55 s.
 */
import { EMPTY_STATS, PHI_DEFAULTS, phiOptions, recordInterval, staleAfter } from "../src/intelligence/index.js";
import { buildFleet, type FleetSpec, type SimAgent } from "./detection/fleet.js";
import { simulate, type Mode, type MonitorSpec, type Outcome } from "./detection/simulate.js";
import { quantile } from "./lib/stats.js";
import type { BenchModule, BenchOptions, FigureTable, Goal } from "./lib/types.js";

const S = 1000, MIN = 60 * S, H = 60 * MIN;

interface Scenario {
  name: string;
  short: string;
  fleet: FleetSpec;
  monitor: MonitorSpec;
}

function scenarios(quick: boolean): Scenario[] {
  const n = quick ? 12 : 100;
  const horizonMs = quick ? 3 * H : 8 * H;
  const base = {
    horizonMs, jitter: 0.5, deadShare: 0.4, stallShare: 0.3, stallMs: 2 * S,
    delay: { scaleMs: 1, shape: 1.5, capMs: 1_000 },
    clockJump: { atMs: horizonMs * 0.37, byMs: 5 * MIN },
  };
  const seedFleet = (seed: number, periodMs: number, staleMs: number): FleetSpec =>
    ({ ...base, seed, periods: [{ periodMs, count: 3 * n }], lastDeathBeforeEndMs: 2 * staleMs });
  return [
    { name: "mixed fleet (1 s, 10 s, 30 s, 5 min), STALE_THRESHOLD 15 min, CHECK_INTERVAL 1 s", short: "mixed",
      fleet: { ...base, seed: 1, periods: [1, 10, 30, 300].map((p) => ({ periodMs: p * S, count: n })), lastDeathBeforeEndMs: 40 * MIN },
      monitor: { checkIntervalMs: S, staleThresholdMs: 15 * MIN } },
    { name: "seed defaults: 30 s beats, STALE_THRESHOLD 120 s, CHECK_INTERVAL 30 s", short: "seed 30 s/120 s",
      fleet: seedFleet(2, 30 * S, 120 * S), monitor: { checkIntervalMs: 30 * S, staleThresholdMs: 120 * S } },
    { name: "seed defaults, CHECK_INTERVAL 5 s", short: "seed, check 5 s",
      fleet: seedFleet(2, 30 * S, 120 * S), monitor: { checkIntervalMs: 5 * S, staleThresholdMs: 120 * S } },
    { name: "Kubernetes' node settings: 10 s beats, CHECK_INTERVAL 5 s, STALE_THRESHOLD 50 s", short: "Kubernetes-like",
      fleet: seedFleet(3, 10 * S, 50 * S), monitor: { checkIntervalMs: 5 * S, staleThresholdMs: 50 * S } },
  ];
}

const MODES: Mode[] = [
  { label: "fixed", kind: "fixed", clockGuard: true },
  { label: "adaptive", kind: "adaptive", clockGuard: true },
  { label: "adaptive, no clock guard", kind: "adaptive", clockGuard: false },
];

const secs = (ms: number) => (Number.isFinite(ms) ? (ms / S).toFixed(ms < 10 * S ? 2 : 1) : "–");
const period = (ms: number) => (ms >= MIN ? `${ms / MIN} min` : `${ms / S} s`);

interface ClassFigures {
  periodMs: number;
  dead: number;
  missed: number;
  p50: number;
  p99: number;
  max: number;
  falseAlarms: number;
  agentsAlarmed: number;
}

function figures(outcomes: Outcome[]): ClassFigures[] {
  const periods = [...new Set(outcomes.map((o) => o.periodMs))].sort((a, b) => a - b);
  return periods.map((p) => {
    const mine = outcomes.filter((o) => o.periodMs === p);
    const dead = mine.filter((o) => o.dead);
    const lat = Float64Array.from(dead.filter((o) => o.latencyMs !== null).map((o) => o.latencyMs!)).sort();
    return {
      periodMs: p, dead: dead.length, missed: dead.length - lat.length,
      p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), max: lat.length ? lat[lat.length - 1]! : NaN,
      falseAlarms: mine.reduce((n, o) => n + o.falseAlarms, 0),
      agentsAlarmed: mine.filter((o) => o.falseAlarms > 0).length,
    };
  });
}

/** Per period, the longest interval between two writes of a live agent (jitter + delay + stall). */
function longestLiveGaps(fleet: SimAgent[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const a of fleet) {
    let m = out.get(a.periodMs) ?? 0;
    for (let i = 1; i < a.writes.length; i++) m = Math.max(m, a.writes[i]! - a.writes[i - 1]!);
    out.set(a.periodMs, m);
  }
  return out;
}

/** What the detector costs in JS per agent: one history update per heartbeat, one bound per check (if not stored). */
function costTable(): FigureTable {
  const n = 1_000_000;
  const o = phiOptions({ staleThresholdMs: 120 * S });
  let st = EMPTY_STATS, sink = 0;
  let t0 = performance.now();
  for (let i = 0; i < n; i++) st = recordInterval(st, 30_000 + (i % 7) * 1000);
  const recordNs = ((performance.now() - t0) * 1e6) / n;
  t0 = performance.now();
  for (let i = 0; i < n; i++) sink += staleAfter({ ...st, count: st.count + (i & 1) }, o).ms;
  const boundNs = ((performance.now() - t0) * 1e6) / n;
  return {
    title: "detection: detector cost (pure JS, 1M calls each)",
    columns: ["operation", "ns per call", "100k agents, ms"],
    rows: [["recordInterval (per heartbeat)", recordNs.toFixed(0), ((recordNs * 1e5) / 1e6).toFixed(1)],
      ["staleAfter (per agent per sweep, if not stored)", boundNs.toFixed(0), ((boundNs * 1e5) / 1e6).toFixed(1)]],
    notes: [`checksum ${sink > 0 ? "ok" : "?"}; stored as a stale_at column, the sweep stays the fixed rule's indexed range scan`],
  };
}

async function run(opts: BenchOptions) {
  const tables: FigureTable[] = [];
  const goals: Goal[] = [];
  for (const sc of scenarios(opts.quick)) {
    const fleet = buildFleet(sc.fleet);
    const { checkIntervalMs: check, staleThresholdMs: stale } = sc.monitor;
    const rows: (string | number)[][] = [];
    const longest = longestLiveGaps(fleet);
    for (const mode of MODES) {
      const t0 = Date.now();
      const figs = figures(simulate(sc.fleet, fleet, sc.monitor, mode));
      opts.log(`${sc.name}: ${mode.label} in ${Date.now() - t0} ms`);
      for (const f of figs) {
        const bound = mode.kind === "fixed" ? stale + check : 3 * f.periodMs + check;
        rows.push([mode.label, period(f.periodMs), `${f.dead - f.missed}/${f.dead}`, secs(f.p50), secs(f.p99), secs(f.max), secs(bound),
          secs(longest.get(f.periodMs) ?? NaN), `${f.falseAlarms} (${f.agentsAlarmed})`]);
        if (mode.label === "adaptive") {
          // a verdict before the longest live silence is a false alarm, so no detector does better than that + one check
          const floor = (longest.get(f.periodMs) ?? 0) + check;
          const why = floor > bound ? `; unreachable: longest live gap ${secs(longest.get(f.periodMs)!)} s + check > goal` : "";
          goals.push({ goal: `${sc.short}, ${period(f.periodMs)} agents: adaptive finds the dead (p99)`, target: `≤ 3 periods + check = ${secs(bound)} s`,
            measured: `${secs(f.p99)} s (${f.missed} missed${why})`, pass: f.missed === 0 && f.p99 <= bound });
        }
        if (mode.label === "fixed") {
          goals.push({ goal: `${sc.short}, ${period(f.periodMs)} agents: fixed never later than STALE_THRESHOLD + CHECK_INTERVAL`, target: `max ≤ ${secs(bound)} s`,
            measured: `${secs(f.max)} s`, pass: f.missed === 0 && f.max <= bound });
        }
      }
      if (mode.label === "adaptive") {
        const fp = figs.reduce((n, f) => n + f.falseAlarms, 0);
        goals.push({ goal: `${sc.short}: adaptive false positives (±50% jitter, 2 s stalls, 5 min clock jump)`, target: "0", measured: String(fp), pass: fp === 0 });
      }
    }
    const agents = fleet.length, dead = fleet.filter((a) => a.diedAtMs !== null).length, stalled = fleet.filter((a) => a.stalled).length;
    tables.push({
      title: `detection: ${sc.name}`,
      columns: ["mode", "period", "found", "p50 s", "p99 s", "max s", "goal s", "longest live gap s", "false positives (agents)"],
      rows,
      notes: [`${agents} agents over ${sc.fleet.horizonMs / H} h simulated, ${dead} die, ${stalled} stall ${sc.fleet.stallMs / S} s once; ` +
        `the host clock jumps ${sc.fleet.clockJump!.byMs / MIN} min forward at ${(sc.fleet.clockJump!.atMs / H).toFixed(1)} h; seed ${sc.fleet.seed}`,
        "goal: fixed = STALE_THRESHOLD + CHECK_INTERVAL; adaptive = 3 of the agent's periods + CHECK_INTERVAL",
        "longest live gap: the longest silence of an agent that was alive (a detector faster than that must raise a false alarm)"],
    });
  }
  tables.push(costTable());
  tables.push({
    title: "detection: adaptive defaults used",
    columns: ["PHI_THRESHOLD", "min std-dev", "acceptable pause", "floor", "min history"],
    rows: [[PHI_DEFAULTS.phiThreshold, `${PHI_DEFAULTS.minStdDevMs} ms`, `${PHI_DEFAULTS.acceptablePauseMs / S} s`, `${PHI_DEFAULTS.floorPeriods} periods`, `${PHI_DEFAULTS.minSamples} intervals`]],
    notes: ["Kubernetes for comparison (10 s node heartbeats): NotReady after node-monitor-grace-period 50 s + node-monitor-period 5 s, about 55 s"],
  });
  return { tables, goals };
}

const detection: BenchModule = { name: "detection", run };
export default detection;

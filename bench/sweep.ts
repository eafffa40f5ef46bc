/**
 * Stale sweep at 1k, 10k and 100k agents, with 1% newly stale and with none newly stale
 * (1% already marked stale, the rest fresh). Ours = what the check + update nodes do:
 * findStaleAgents, then markStaleAgents when it found any (lock + BEGIN IMMEDIATE + one
 * UPDATE ... RETURNING on the partial index; the transition trigger writes one row per agent).
 * Baseline = plain better-sqlite3, BEGIN IMMEDIATE + the same single UPDATE on the same table, no
 * lock and no check first (as the heartbeat bench's baseline runs the same UPDATE): what our code
 * path costs. Narrow = one UPDATE on a 3-column table with no transition log: what the schema costs.
 * Median of several runs; state is reset between runs (not timed); a fixed clock keeps ages exact.
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Clock } from "../src/clock/index.js";
import { SharedState } from "../src/storage/sqlite/index.js";
import { prepareStatements } from "../src/storage/sqlite/statements.js";
import { STALE_SAMPLE } from "../src/agents/heartbeat/state.js";
import { fmt, int, median, ratio } from "./lib/stats.js";
import type { BenchModule, BenchOptions, FigureTable, Goal } from "./lib/types.js";

const T0 = 1_800_000_000_000;
const THRESHOLD_MS = 120_000;
const FRESH = T0 - 1_000;
const OLD = T0 - 2 * THRESHOLD_MS;
const fixedClock: Clock = { now: () => T0, sleep: () => Promise.resolve() };

type Scenario = "1% newly stale" | "none newly stale";
const SCENARIOS: Scenario[] = ["1% newly stale", "none newly stale"];

interface Side {
  /** Puts the 1% back: live and old (1%) or already stale (none). Not timed. */
  reset(s: Scenario): void;
  /** The timed sweep; returns the agents it marked stale. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

/** A SharedState database with `n` live agents, 1% of them with an old heartbeat. */
async function populated(path: string, n: number): Promise<SharedState> {
  const store = await SharedState.open({ path, clock: fixedClock });
  const db = store.db;
  db.transaction(() => {
    const ins = db.prepare(`INSERT INTO agents (name, state, state_changed_at, registered_at, started_at, last_heartbeat)
                            VALUES (?, 'active', ?, ?, ?, ?)`);
    for (let i = 0; i < n; i++) ins.run(`agent-${i}`, FRESH, FRESH, FRESH, i % 100 === 0 ? OLD : FRESH);
  })();
  return store;
}

function resetter(db: Database.Database): Side["reset"] {
  const reset = db.prepare(`UPDATE agents SET state = ?, last_heartbeat = ? WHERE rowid % 100 = 1`);
  return (s) => {
    reset.run(s === "1% newly stale" ? "active" : "stale", OLD);
    db.pragma("wal_checkpoint(TRUNCATE)");
  };
}

async function ours(path: string, n: number): Promise<Side> {
  const store = await populated(path, n);
  return {
    reset: resetter(store.db),
    sweep: async () => {
      const { count } = await store.findStaleAgents(THRESHOLD_MS, STALE_SAMPLE);
      return count > 0 ? (await store.markStaleAgents(THRESHOLD_MS)).length : 0;
    },
    close: () => store.close(),
  };
}

/** The baseline: our own markStale UPDATE on our own table (same rows, indexes, transition trigger), alone: no lock, no check. */
async function baseline(path: string, n: number): Promise<Side> {
  const store = await populated(path, n);
  const mark = prepareStatements(store.db).markStale;
  const tx = store.db.transaction(() => mark.all({ now: T0, cutoff: T0 - THRESHOLD_MS, threshold: THRESHOLD_MS }).length);
  return { reset: resetter(store.db), sweep: async () => tx.immediate(), close: () => store.close() };
}

/** The same sweep on a 3-column table with one index and no transition log. */
async function narrow(path: string, n: number): Promise<Side> {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.exec(`CREATE TABLE agents (name TEXT PRIMARY KEY, state TEXT NOT NULL, last_heartbeat INTEGER NOT NULL);
           CREATE INDEX agents_last_heartbeat ON agents(last_heartbeat);`);
  db.transaction(() => {
    const ins = db.prepare(`INSERT INTO agents VALUES (?, 'active', ?)`);
    for (let i = 0; i < n; i++) ins.run(`agent-${i}`, FRESH);
  })();
  const reset = db.prepare(`UPDATE agents SET state = ?, last_heartbeat = ? WHERE rowid % 100 = 1`);
  const mark = db.prepare(`UPDATE agents SET state = 'stale' WHERE state = 'active' AND last_heartbeat < ? RETURNING name, last_heartbeat`);
  const tx = db.transaction(() => mark.all(T0 - THRESHOLD_MS).length);
  return {
    reset: (s) => {
      reset.run(s === "1% newly stale" ? "active" : "stale", OLD);
      db.pragma("wal_checkpoint(TRUNCATE)");
    },
    sweep: async () => tx.immediate(),
    close: async () => void db.close(),
  };
}

/** Medians per side; the sides take turns run by run (order alternating) so load from elsewhere hits all. */
async function measure(sides: Side[], s: Scenario, runs: number, expected: number): Promise<number[]> {
  const times: number[][] = sides.map(() => []);
  for (let i = 0; i < runs + 1; i++) {
    const order = sides.map((_, k) => k);
    if (i % 2) order.reverse();
    for (const k of order) {
      sides[k]!.reset(s);
      const t = performance.now();
      const marked = await sides[k]!.sweep();
      const ms = performance.now() - t;
      if (marked !== expected) throw new Error(`sweep marked ${marked} agents, expected ${expected}`);
      if (i > 0) times[k]!.push(ms); // the first run warms caches and statements
    }
  }
  return times.map(median);
}

async function run(o: BenchOptions) {
  const sizes = [1_000, 10_000, 100_000];
  const runs = o.quick ? 3 : 9;
  const table: FigureTable = {
    title: `Stale sweep (median of ${runs} runs, ms)`,
    columns: ["agents", "scenario", "narrow table ms", "baseline ms", "ours ms", "ours / baseline", "ours / narrow"],
    rows: [],
    notes: [
      "ours = findStaleAgents + markStaleAgents when any were found (as the check and update nodes do), under the state lock; " +
        "baseline = plain better-sqlite3, BEGIN IMMEDIATE + the same single markStale UPDATE on the same agents table, without lock or check (ours / baseline = what our code path adds).",
      "narrow table = BEGIN IMMEDIATE + UPDATE ... WHERE state='active' AND last_heartbeat < ? RETURNING on a 3-column table indexed on last_heartbeat, no transition log (info: what recording a transition per agent and the wider row cost).",
      "'none newly stale': 1% of agents are already marked stale (old heartbeats), the rest are fresh.",
    ],
  };
  const goals: Goal[] = [];
  for (const n of sizes) {
    o.log(`${n} agents`);
    const m = await narrow(join(o.tmpDir, `sweep-narrow-${n}.db`), n);
    const b = await baseline(join(o.tmpDir, `sweep-base-${n}.db`), n);
    const u = await ours(join(o.tmpDir, `sweep-ours-${n}.db`), n);
    try {
      for (const s of SCENARIOS) {
        const expected = s === "1% newly stale" ? n / 100 : 0;
        const [mm, bm, um] = (await measure([m, b, u], s, runs, expected)) as [number, number, number];
        table.rows.push([int(n), s, fmt(mm, 3), fmt(bm, 3), fmt(um, 3), ratio(um / bm), ratio(um / mm)]);
        if (n === 100_000 && s === "1% newly stale") {
          goals.push({ goal: "sweep, 100k agents, 1% newly stale", target: "<= 1.50x baseline", measured: `${ratio(um / bm)} (${fmt(um)} vs ${fmt(bm)} ms)`, pass: um / bm <= 1.5 });
        }
        if (n === 100_000 && s === "none newly stale") {
          goals.push({ goal: "sweep, 100k agents, none newly stale", target: "<= 5 ms", measured: `${fmt(um, 3)} ms`, pass: um <= 5 });
        }
      }
    } finally {
      await b.close();
      await u.close();
      await m.close();
    }
  }
  return { tables: [table], goals };
}

const bench: BenchModule = { name: "sweep", run };
export default bench;

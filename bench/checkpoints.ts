/**
 * Checkpoint growth: the heartbeat graph run for 1,000 cycles (200 with --quick) at a 1 ms
 * interval (config override HEARTBEAT_INTERVAL=0.001) with the default CHECKPOINT_RETENTION:
 * checkpoint and write rows and bytes left, and the DB file size. Without pruning the saver
 * would keep every superstep's checkpoint (several per cycle) for ever.
 */
import Database from "better-sqlite3";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { HeartbeatHealthAgent } from "../src/agents/heartbeat/agent.js";
import { systemClock, type Clock } from "../src/clock/index.js";
import { loadConfig } from "../src/config/index.js";
import { closeLogger, createLogger } from "../src/logging/index.js";
import { openStore, type StateStore } from "../src/storage/index.js";
import { fmt, int, mb, waitFor } from "./lib/stats.js";
import type { BenchModule, BenchOptions, Goal } from "./lib/types.js";

const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);

async function run(o: BenchOptions) {
  const cycles = o.quick ? 200 : 1000;
  // benches never send traces
  process.env.LANGSMITH_TRACING = "false";
  process.env.LANGCHAIN_TRACING_V2 = "false";
  const dbPath = join(o.tmpDir, "checkpoints.db");
  const config = loadConfig({}, { databasePath: dbPath, heartbeatIntervalMs: 1, logDir: join(o.tmpDir, "logs"), logLevel: "warn", agentName: "bench-checkpoints" });
  const logger = createLogger({ agentName: config.agentName, level: config.logLevel, dir: config.logDir, console: false });
  const store = await openStore(config);
  // systemClock.sleep(<=0) resolves without an event-loop turn; at a 1 ms interval every cycle
  // overruns, and the run would never yield to timers (or to this bench's polling).
  const clock: Clock = { now: systemClock.now, sleep: (ms, signal) => (ms > 0 ? systemClock.sleep(ms, signal) : new Promise((r) => setImmediate(r))) };
  const agent = new HeartbeatHealthAgent({ config, store, logger, clock });
  const t0 = performance.now();
  const running = agent.start();
  let failed: unknown;
  running.catch((e: unknown) => (failed = e));
  // each cycle's loop node writes one heartbeat: the row's counter is the cycle count
  const beats = async () => (await store.getAgent(config.agentName))?.heartbeats ?? 0;
  try {
    await waitFor(async () => {
      if (failed) throw failed;
      return (await beats()) >= cycles;
    }, 600_000, `${cycles} monitor cycles`, 20);
  } finally {
    await agent.stop();
  }
  const seconds = (performance.now() - t0) / 1000;
  const done = await beats();
  await store.close();
  // the bench reads SQLite's checkpoint tables directly, after the store has closed
  const db = new Database(dbPath, { readonly: true });
  const cp = db.prepare(`SELECT count(*) AS n, count(DISTINCT thread_id) AS threads, coalesce(sum(length(checkpoint) + length(metadata)), 0) AS bytes FROM checkpoints`).get() as { n: number; threads: number; bytes: number };
  const perThread = db.prepare(`SELECT max(n) AS n FROM (SELECT count(*) AS n FROM checkpoints GROUP BY thread_id, checkpoint_ns)`).get() as { n: number | null };
  const wr = db.prepare(`SELECT count(*) AS n, coalesce(sum(length(value)), 0) AS bytes FROM writes`).get() as { n: number; bytes: number };
  db.close();
  await closeLogger(logger);
  const file = size(dbPath);
  const wal = size(`${dbPath}-wal`);
  const goals: Goal[] = [{
    goal: `checkpoint rows per thread after ${int(done)} cycles`,
    target: `<= CHECKPOINT_RETENTION (${config.checkpointRetention})`,
    measured: int(perThread.n ?? 0),
    pass: (perThread.n ?? 0) <= config.checkpointRetention,
  }];
  return {
    tables: [{
      title: `Checkpoints after ${int(done)} heartbeat-graph cycles (HEARTBEAT_INTERVAL=0.001, CHECKPOINT_RETENTION=${config.checkpointRetention})`,
      columns: ["figure", "value"],
      rows: [
        ["cycles run / wall s / cycles per s", `${int(done)} / ${fmt(seconds, 1)} / ${fmt(done / seconds, 1)}`],
        ["checkpoint rows (threads)", `${int(cp.n)} (${cp.threads})`],
        ["checkpoint rows, most on one thread", int(perThread.n ?? 0)],
        ["checkpoint bytes (checkpoint + metadata)", int(cp.bytes)],
        ["write rows / bytes", `${int(wr.n)} / ${int(wr.bytes)}`],
        ["DB file MB (+ WAL MB)", `${mb(file)} (+ ${mb(wal)})`],
      ],
    }],
    goals,
  };
}

const bench: BenchModule = { name: "checkpoints", run };
export default bench;

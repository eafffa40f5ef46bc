/**
 * The monitor's sweep for bench/scale.ts, in its own process over its own store connection: every
 * SCALE_SWEEP_EVERY_MS it does what the HeartbeatHealthAgent's check and update nodes do
 * (findStaleAgents, the agents back from stale since the last check, markStaleAgents when any
 * were found, with DETECTION as configured: adaptive by default) and times each sweep. The first
 * sweep of the process (its server connection's first plans and catalog reads: ~60 ms more on
 * PostgreSQL) runs on { type: "warm" }, after the fleet is registered and before the load, and is
 * reported apart. IPC: { type: "stop" } → { type: "sweeps", ms: [...], first, marked }.
 */
import { loadConfig } from "../../src/config/index.js";
import { openStore } from "../../src/storage/index.js";

const config = loadConfig(process.env);
const store = await openStore(config);
const everyMs = Number(process.env.SCALE_SWEEP_EVERY_MS ?? 1000);
const sweeps: number[] = [];
let first: number | undefined;
let marked = 0;
let lastCheckAt = Date.now();
let stopping = false;

async function sweep(): Promise<void> {
  const t = performance.now();
  const now = Date.now();
  const { count } = await store.findStaleAgents(config.staleThresholdMs, 20, { detection: config.detection });
  await store.getTransitions({ since: lastCheckAt, from: "stale", to: "active", limit: 1000 });
  if (count > 0) marked += (await store.markStaleAgents(config.staleThresholdMs, { detection: config.detection })).length;
  lastCheckAt = now;
  const ms = performance.now() - t;
  if (first === undefined) first = ms;
  else sweeps.push(ms);
}

async function loop(): Promise<void> {
  while (!stopping) {
    const started = performance.now();
    await sweep();
    await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - started))));
  }
  await store.close();
  process.send!({ type: "sweeps", ms: sweeps, first, marked }, () => process.exit(0));
}

process.on("message", (m: { type: string }) => {
  if (m.type === "warm") void sweep().then(() => process.send!({ type: "warm" }));
  if (m.type === "go") void loop();
  if (m.type === "stop") stopping = true;
});
process.send!({ type: "ready" });

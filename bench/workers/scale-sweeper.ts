/**
 * The monitor's sweep for bench/scale.ts, in its own process over its own store connection: every
 * SCALE_SWEEP_EVERY_MS it does what the HeartbeatHealthAgent's check and update nodes do
 * (findStaleAgents, the agents back from stale since the last check, markStaleAgents when any
 * were found, with DETECTION as configured: adaptive by default) and times each sweep. IPC: { type: "stop" } → { type: "sweeps", ms: [...], marked }.
 */
import { loadConfig } from "../../src/config/index.js";
import { openStore } from "../../src/storage/index.js";

const config = loadConfig(process.env);
const store = await openStore(config);
const everyMs = Number(process.env.SCALE_SWEEP_EVERY_MS ?? 1000);
const sweeps: number[] = [];
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
  sweeps.push(performance.now() - t);
}

async function loop(): Promise<void> {
  while (!stopping) {
    const started = performance.now();
    await sweep();
    await new Promise((r) => setTimeout(r, Math.max(0, everyMs - (performance.now() - started))));
  }
  await store.close();
  process.send!({ type: "sweeps", ms: sweeps, marked }, () => process.exit(0));
}

process.on("message", (m: { type: string }) => {
  if (m.type === "go") void loop();
  if (m.type === "stop") stopping = true;
});
process.send!({ type: "ready" });

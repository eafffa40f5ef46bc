/**
 * A demo worker for `bg-agents start --demo`: a plain Node process (no LangGraph) that reports
 * through AgentClient, does pretend work, and heartbeats from its work loop. With
 * DEMO_DIE_AFTER="MIN-MAX" (seconds) it exits with code 1 at a random moment in that range, so
 * the supervisor's detection and restart can be watched.
 */
import { AgentClient } from "../client/index.js";
import { loadConfig } from "../config/index.js";

const config = loadConfig();
const client = new AgentClient({ name: config.agentName, intervalMs: config.heartbeatIntervalMs, meta: { demo: true } });
await client.register();

let running = true;
const stop = async () => {
  running = false;
  await client.stop("demo worker stopped");
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
process.once("disconnect", () => process.exit(1));

const dieAfter = process.env.DEMO_DIE_AFTER?.match(/^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/);
if (dieAfter) {
  const [min, max] = [Number(dieAfter[1]), Number(dieAfter[2])];
  const ms = (min + Math.random() * (max - min)) * 1000;
  setTimeout(() => {
    process.stderr.write(`${config.agentName}: demo crash after ${(ms / 1000).toFixed(1)}s\n`);
    process.exit(1);
  }, ms);
}

while (running) {
  await client.beat();
  await new Promise((r) => setTimeout(r, config.heartbeatIntervalMs));
}

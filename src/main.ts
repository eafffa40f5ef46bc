/**
 * `npm start`: the supervisor (SystemInitializer, then HeartbeatHealthAgent, PerformanceMonitorAgent
 * and LangSmithBridgeAgent as child processes, healed on failure) until SIGINT/SIGTERM, then every
 * agent `stopped` and exit 0. `bg-agents monitor` runs the monitor alone (src/agents/heartbeat/main.ts).
 */
import { runSupervisor } from "./app/index.js";
import { loadDotEnv } from "./env-file.js";
import { runMain } from "./process/index.js";

await runMain(async () => {
  loadDotEnv();
  return runSupervisor({ demo: process.argv.includes("--demo") });
});

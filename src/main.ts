/**
 * `npm start`: the supervisor (SystemInitializer, then HeartbeatHealthAgent, PerformanceMonitorAgent
 * and LangSmithBridgeAgent as child processes, healed on failure) until SIGINT/SIGTERM, then every
 * agent `stopped` and exit 0. `bg-agents monitor` runs the monitor alone (src/agents/heartbeat/main.ts).
 */
import { loadDotEnv } from "./env-file.js";
import { isBgAgentsError } from "./errors/index.js";
import { runSupervisor } from "./supervisor/index.js";

loadDotEnv();
runSupervisor({ demo: process.argv.includes("--demo") }).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bg-agents: ${isBgAgentsError(e) ? (e as Error).message : (e as Error)?.stack ?? String(e)}\n`);
    process.exit(isBgAgentsError(e) ? 2 : 1);
  },
);

/**
 * `bg-agents start`: the supervisor in this process (what `npm start` runs): SystemInitializer, then
 * HeartbeatHealthAgent, PerformanceMonitorAgent and LangSmithBridgeAgent as child processes, healed
 * on failure, until SIGINT/SIGTERM. `--demo` adds demo workers: one hangs and one crashes now and then.
 */
import type { Command } from "commander";
import { parseAgentFlag, type AgentSpec } from "../../supervisor/agent-specs.js";
import { action, portArg } from "../support/run.js";

interface StartFlags {
  db?: string;
  demo?: boolean;
  agent: string[];
  script: string[];
  dashboard: boolean;
  port?: number;
}

const collect = (v: string, all: string[]) => [...all, v];

export function register(program: Command): void {
  program
    .command("start")
    .description("Start the agent fleet under a self-healing supervisor (Ctrl-C stops every agent)")
    .option("--db <path>", "state database (overrides DATABASE_PATH)")
    .option("--port <port>", "dashboard port, 0 = any free port (overrides DASHBOARD_PORT)", portArg)
    .option("--no-dashboard", "do not serve the dashboard/API")
    .option("--demo", "also run demo workers; one hangs and one crashes now and then, to watch detection and healing")
    .option("--agent <name=path>", "also run a LangGraph agent: a module exporting buildGraph (repeatable)", collect, [])
    .option("--script <name=path>", "also run a Node program that reports through AgentClient (repeatable)", collect, [])
    .addHelpText("after", "\nExit codes: 0 stopped cleanly, 1 the fleet failed (its agents were stopped), 2 bad flag, config or database, " +
      "or a supervisor already running, 3 internal error.")
    .action(action(async (opts: StartFlags) => {
      const extra: AgentSpec[] = [...opts.agent.map((v) => parseAgentFlag(v, "graph")), ...opts.script.map((v) => parseAgentFlag(v, "script"))];
      const overrides = { databasePath: opts.db, dashboardPort: opts.port };
      const { runSupervisor } = await import("../../app/index.js"); // loaded when used: every other command starts faster
      return runSupervisor({ demo: opts.demo, extra, dashboard: opts.dashboard, overrides });
    }));
}

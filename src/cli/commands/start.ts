/**
 * `bg-agents start`: the supervisor in this process (what `npm start` runs): SystemInitializer, then
 * HeartbeatHealthAgent, PerformanceMonitorAgent and LangSmithBridgeAgent as child processes, healed
 * on failure, until SIGINT/SIGTERM. `--demo` adds demo workers: one hangs and one crashes now and then.
 */
import type { Command } from "commander";
import { parseAgentFlag, runSupervisor, type AgentSpec } from "../../supervisor/index.js";
import { action, EXIT } from "../support/run.js";

interface StartFlags {
  db?: string;
  demo?: boolean;
  agent: string[];
  script: string[];
  dashboard: boolean;
  port?: string;
}

const collect = (v: string, all: string[]) => [...all, v];

export function register(program: Command): void {
  program
    .command("start")
    .description("Start the agent fleet under a self-healing supervisor (Ctrl-C stops every agent)")
    .option("--db <path>", "state database (overrides DATABASE_PATH)")
    .option("--port <port>", "dashboard port (overrides DASHBOARD_PORT)")
    .option("--no-dashboard", "do not serve the dashboard/API")
    .option("--demo", "also run demo workers; one hangs and one crashes now and then, to watch detection and healing")
    .option("--agent <name=path>", "also run a LangGraph agent: a module exporting buildGraph (repeatable)", collect, [])
    .option("--script <name=path>", "also run a Node program that reports through AgentClient (repeatable)", collect, [])
    .addHelpText("after", "\nExit codes: 0 stopped cleanly, 1 unexpected failure, 2 bad flag, config or database, or a supervisor already running.")
    .action(action(async (opts: StartFlags) => {
      if (opts.db) process.env.DATABASE_PATH = opts.db;
      if (opts.port) process.env.DASHBOARD_PORT = opts.port;
      const extra: AgentSpec[] = [...opts.agent.map((v) => parseAgentFlag(v, "graph")), ...opts.script.map((v) => parseAgentFlag(v, "script"))];
      const code = await runSupervisor({ demo: opts.demo, extra, dashboard: opts.dashboard });
      return code === 0 ? EXIT.OK : code;
    }));
}

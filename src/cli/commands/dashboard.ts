/**
 * `bg-agents dashboard`: runs only the dashboard/API server on the shared state database until
 * SIGINT/SIGTERM (`bg-agents start` runs it alongside the agents). Like the other commands it
 * refuses a database file that does not exist (exit 2) instead of creating an empty one.
 */
import type { Command } from "commander";
import { action, assertDatabaseExists, cliConfig, portArg } from "../support/run.js";

interface DashboardFlags {
  host?: string;
  port?: number;
  db?: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command("dashboard")
    .description("Serve the live dashboard and JSON API (DASHBOARD_HOST:DASHBOARD_PORT) until Ctrl-C")
    .option("--host <address>", "address to bind (overrides DASHBOARD_HOST; non-loopback needs API_TOKEN)")
    .option("--port <port>", "port to bind, 0 = any free port (overrides DASHBOARD_PORT)", portArg)
    .option("--db <path>", "state database (overrides DATABASE_PATH)")
    .option("--json", "print the listening address as JSON")
    .addHelpText("after", "\nExit codes: 0 stopped cleanly (Ctrl-C/SIGTERM), 2 bad flag, config or database, or the port in use, 3 internal error.")
    .action(action(async (opts: DashboardFlags) => {
      const config = cliConfig({ dashboardHost: opts.host, dashboardPort: opts.port, databasePath: opts.db });
      assertDatabaseExists(config.databasePath); // before the logger and the store create any file
      const { runDashboard } = await import("../../app/index.js"); // loaded when used: every other command starts faster
      return runDashboard({
        config,
        onListening: (server) => process.stdout.write(opts.json
          ? JSON.stringify({ url: server.url, host: server.host, port: server.port }) + "\n"
          : `Dashboard: ${server.url}  (Ctrl-C to stop)\n`),
      });
    }));
}

/**
 * `bg-agents dashboard`: runs only the dashboard/API server on the shared state database until
 * SIGINT/SIGTERM (`bg-agents start` runs it alongside the agents). Like the other commands it
 * refuses a database file that does not exist (exit 2) instead of creating an empty one.
 */
import { InvalidArgumentError, type Command } from "commander";
import { loadConfig, type ConfigOverrides } from "../../config/index.js";
import { isBgAgentsError } from "../../errors/index.js";
import { closeLogger, createLogger } from "../../logging/index.js";
import { openStore, type StateStore, SYSTEM_KEYS } from "../../storage/index.js";
import { MONITOR_NAME } from "../../supervisor/agent-specs.js";
import { assertDatabaseExists, EXIT, reportError } from "../support/run.js";

function portArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("expected a port 0-65535");
  return n;
}

export function register(program: Command): void {
  program
    .command("dashboard")
    .description("Serve the live dashboard and JSON API (DASHBOARD_HOST:DASHBOARD_PORT) until Ctrl-C")
    .option("--host <address>", "address to bind (overrides DASHBOARD_HOST; non-loopback needs API_TOKEN)")
    .option("--port <port>", "port to bind, 0 = any free port (overrides DASHBOARD_PORT)", portArg)
    .option("--db <path>", "state database (overrides DATABASE_PATH)")
    .option("--json", "print the listening address as JSON")
    .action(async (opts: { host?: string; port?: number; db?: string; json?: boolean }) => {
      const overrides: ConfigOverrides = {};
      if (opts.host !== undefined) overrides.dashboardHost = opts.host;
      if (opts.port !== undefined) overrides.dashboardPort = opts.port;
      if (opts.db !== undefined) overrides.databasePath = opts.db;
      let code = 0;
      try {
        const config = loadConfig(process.env, overrides);
        assertDatabaseExists(config.databasePath); // before the logger and the store create any file
        const logger = createLogger({ agentName: "dashboard", level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
        const store = await openStore(config);
        const { startServer } = await import("../../http/index.js");
        // /healthz watches the supervisor's monitor on a database a supervisor runs or ran, else AGENT_NAME's
        const sup = await store.fleet.getSystemState<{ agents?: string[] }>(SYSTEM_KEYS.supervisor);
        const monitorName = sup?.agents?.includes(MONITOR_NAME) ? MONITOR_NAME : config.agentName;
        const server = await startServer({ store, config, logger, monitorName }).catch(async (e: unknown) => {
          await store.close();
          throw e;
        });
        process.stdout.write(opts.json ? JSON.stringify({ url: server.url, host: server.host, port: server.port }) + "\n" : `Dashboard: ${server.url}  (Ctrl-C to stop)\n`);
        await new Promise<void>((resolve) => {
          process.once("SIGINT", resolve);
          process.once("SIGTERM", resolve);
        });
        await server.close();
        await store.close();
        await closeLogger(logger);
      } catch (e) {
        if (isBgAgentsError(e)) {
          code = reportError(e, opts.json === true); // the same line (and --json error) as every other command, exit 2
        } else {
          const known = (e as { code?: string }).code === "EADDRINUSE";
          process.stderr.write(`bg-agents dashboard: ${known ? (e as Error).message : ((e as Error).stack ?? String(e))}\n`);
          code = known ? EXIT.USAGE : EXIT.INTERNAL;
        }
      }
      process.exit(code);
    });
}

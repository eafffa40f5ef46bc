/**
 * `bg-agents dashboard`: runs only the dashboard/API server on the shared state database until
 * SIGINT/SIGTERM (`bg-agents start` runs it alongside the agents).
 */
import { InvalidArgumentError, type Command } from "commander";
import { loadConfig, type ConfigOverrides } from "../../config/index.js";
import { isBgAgentsError } from "../../errors/index.js";
import { closeLogger, createLogger } from "../../logging/index.js";
import { SharedState } from "../../storage/index.js";

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
        const logger = createLogger({ agentName: "dashboard", level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
        const store = await SharedState.fromConfig(config);
        const { startServer } = await import("../../http/index.js");
        const server = await startServer({ store, config, logger }).catch(async (e: unknown) => {
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
        const known = isBgAgentsError(e) || (e as { code?: string }).code === "EADDRINUSE";
        process.stderr.write(`bg-agents dashboard: ${known ? (e as Error).message : ((e as Error).stack ?? String(e))}\n`);
        code = known ? 2 : 3;
      }
      process.exit(code);
    });
}

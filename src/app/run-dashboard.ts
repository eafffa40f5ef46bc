/**
 * `bg-agents dashboard`: only the dashboard/API server on the shared state database, until
 * SIGINT/SIGTERM (`runSupervisor` runs it beside the agents). /healthz watches the monitor the
 * database's supervisor names in its record (on PostgreSQL: this host's supervisor), else
 * AGENT_NAME's (a monitor run alone).
 */
import type { Config } from "../config/index.js";
import type { RunningServer } from "../http/index.js";
import { closeLogger, createLogger } from "../logging/index.js";
import { EXIT } from "../process/index.js";
import { openStore } from "../storage/index.js";
import { monitorNameFor, readSupervisorRecord, supervisorKey } from "../supervision/index.js";
import { untilStopSignal } from "./signals.js";

export interface RunDashboardOptions {
  config: Config;
  /** Called once the server listens (the CLI prints the address). */
  onListening?: (server: RunningServer) => void;
}

/** Serves until a stop signal, then closes everything and returns 0; a refused bind or a taken port throws (typed). */
export async function runDashboard(o: RunDashboardOptions): Promise<number> {
  const { config } = o;
  const logger = createLogger({ agentName: "dashboard", level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
  try {
    const store = await openStore(config, { answersRequests: true });
    try {
      const monitorName = monitorNameFor(await readSupervisorRecord(store.fleet, supervisorKey(config)), config.agentName);
      const { startServer } = await import("../http/index.js"); // not loaded by `bg-agents start`'s import of src/app
      const server = await startServer({ store, config, logger, monitorName });
      o.onListening?.(server);
      await untilStopSignal();
      await server.close();
    } finally {
      await store.close();
    }
  } finally {
    await closeLogger(logger);
  }
  return EXIT.OK;
}

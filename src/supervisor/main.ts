/**
 * Runs the supervisor in this process until SIGINT/SIGTERM: one supervisor per database
 * (InstanceLock), then SystemInitializer, agents, healing. Exit 0 after a clean stop,
 * 2 on bad config/database or another supervisor running, 1 on an unexpected failure.
 * Whatever can be refused (an unsafe dashboard bind) is refused before any agent starts, and an
 * error once the agents run stops them (state `stopped`, processes gone) before returning.
 */
import { loadConfig } from "../config/index.js";
import { isBgAgentsError, isConfigError } from "../errors/index.js";
import { assertPingKeyBind, assertSafeBind, startServer, type RunningServer } from "../http/index.js";
import { closeLogger, createLogger } from "../logging/index.js";
import { openStore, type StateStore } from "../storage/index.js";
import { describeTracing, tracingSettings } from "../tracing/index.js";
import { demoAgents, MONITOR_NAME, systemAgents, type AgentSpec } from "./agent-specs.js";
import { InstanceLock } from "./instance-lock.js";
import { Supervisor } from "./supervisor.js";

export interface RunSupervisorOptions {
  demo?: boolean;
  /** Extra agents to run besides the system agents. */
  extra?: AgentSpec[];
  /** Serve the dashboard/API on DASHBOARD_HOST:DASHBOARD_PORT. @defaultValue true */
  dashboard?: boolean;
}

export async function runSupervisor(opts: RunSupervisorOptions = {}): Promise<number> {
  const config = loadConfig();
  // refused before the lock, the database and any agent: nothing to clean up
  if (opts.dashboard !== false) {
    assertSafeBind(config.dashboardHost, config.apiToken);
    assertPingKeyBind(config.dashboardHost, config.pingKey);
  }
  const lock = InstanceLock.acquire(config.databasePath);
  const logger = createLogger({ agentName: "supervisor", level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
  const log = logger.child({ module: "main" });
  let store: StateStore | undefined;
  let server: RunningServer | undefined;
  let stopping: Promise<void> | undefined;
  let supervisor: Supervisor | undefined;
  try {
    store = await openStore(config);
    const agents = [...systemAgents(), ...(opts.demo ? demoAgents() : []), ...(opts.extra ?? [])];
    const sup = (supervisor = new Supervisor({ config, store, logger, agents }));
    const stop = (signal: string) => {
      stopping ??= sup.stop(`${signal} received`);
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
    log.info(describeTracing(tracingSettings()));
    log.info(`supervising ${agents.map((a) => a.name).join(", ")} on ${config.databasePath} ` +
      `(heartbeat ${config.heartbeatIntervalMs / 1000}s, stale after ${config.staleThresholdMs / 1000}s)`);
    await sup.start();
    if (opts.dashboard !== false) server = await startDashboard(store, config, logger);
    await sup.wait();
    await stopping;
    log.info("supervisor stopped");
    return 0;
  } catch (e) {
    log.error(isBgAgentsError(e) ? (e as Error).message : ((e as Error)?.stack ?? String(e)));
    // agents may be running (start() spawns them): stop them rather than leave orphans behind
    if (supervisor) {
      try {
        await (stopping ??= supervisor.stop(`supervisor failed: ${(e as Error)?.message ?? String(e)}`));
      } catch (stopError) {
        log.error(`stopping the agents failed: ${(stopError as Error)?.message ?? String(stopError)}`);
      }
    }
    return isBgAgentsError(e) ? 2 : 1;
  } finally {
    await server?.close();
    await store?.close();
    lock.release();
    await closeLogger(logger);
  }
}

/** The dashboard is a window on the fleet, not part of it: a taken port is logged, the fleet runs on. */
async function startDashboard(store: StateStore, config: ReturnType<typeof loadConfig>, logger: ReturnType<typeof createLogger>): Promise<RunningServer | undefined> {
  const log = logger.child({ module: "main" });
  try {
    // /healthz watches the supervised monitor, whose name is fixed whatever AGENT_NAME says
    const server = await startServer({ store, config, logger, monitorName: MONITOR_NAME });
    log.info(`dashboard on ${server.url}`);
    return server;
  } catch (e) {
    if (isConfigError(e)) throw e; // unsafe bind (non-loopback without API_TOKEN): refuse to start
    log.error(`dashboard not started: ${(e as Error).message}. Set DASHBOARD_PORT to a free port, or run with --no-dashboard.`);
    return undefined;
  }
}

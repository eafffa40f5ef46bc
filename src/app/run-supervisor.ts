/**
 * Runs the supervisor in this process until SIGINT/SIGTERM: one supervisor per database (SQLite:
 * InstanceLock, a file lock) or per host and database (PostgreSQL: HostLock, a lease), then
 * SystemInitializer, agents, healing, and the dashboard beside them.
 * Returns 0 after a clean stop, 1 when the fleet failed (an unexpected error once the agents run:
 * they are stopped first, state `stopped`, processes gone), 2 for a typed error once running;
 * bad config, an unsafe dashboard bind or another supervisor are thrown before any agent starts.
 */
import { loadConfig, type Config, type ConfigOverrides } from "../config/index.js";
import { isBgAgentsError, isConfigError } from "../errors/index.js";
// the bind checks only: the server (fastify and its plugins) is imported once the agents are spawned
import type { RunningServer } from "../http/index.js";
import { assertPingKeyBind } from "../http/ping/ping-key.js";
import { assertSafeBind } from "../http/safety.js";
import { closeLogger, createLogger, type Logger } from "../logging/index.js";
import { EXIT } from "../process/index.js";
import { openStore, storageWhere, type StateStore } from "../storage/index.js";
import { AgentNameTakenError, HostLock, InstanceLock, namesTakenElsewhere, readSupervisors, sharedByHosts } from "../supervision/index.js";
import { hostSystemNames } from "../supervisor/agent-specs.js";
import { demoAgents, systemAgents, Supervisor, type AgentSpec } from "../supervisor/index.js";
import { describeTracing, tracingSettings } from "../tracing/index.js";
import { channelsFromConfig } from "../notify/index.js";
import { onStopSignals } from "./signals.js";

export interface RunSupervisorOptions {
  /** Also run the demo workers. @defaultValue false */
  demo?: boolean;
  /** Extra agents to run besides the system agents. @defaultValue none */
  extra?: AgentSpec[];
  /** Serve the dashboard/API on DASHBOARD_HOST:DASHBOARD_PORT. @defaultValue true */
  dashboard?: boolean;
  /** Settings that win over the environment (the CLI's flags). @defaultValue none */
  overrides?: ConfigOverrides;
}

export async function runSupervisor(opts: RunSupervisorOptions = {}): Promise<number> {
  const withDashboard = opts.dashboard ?? true;
  const config = loadConfig(process.env, opts.overrides);
  // refused before the lock, the database and any agent: nothing to clean up
  const channels = channelsFromConfig(config);
  if (withDashboard) {
    assertSafeBind(config.dashboardHost, config.apiToken);
    assertPingKeyBind(config.dashboardHost, config.pingKey);
  }
  // SQLite: the file lock before the database is touched; PostgreSQL: the host's lease, in the database
  const fileLock = sharedByHosts(config) ? undefined : InstanceLock.acquire(config.databasePath);
  let hostLock: HostLock | undefined;
  const monitorName = hostSystemNames(config).monitor;
  const logger = createLogger({ agentName: "supervisor", level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
  const log = logger.child({ module: "app" });
  let store: StateStore | undefined;
  let server: RunningServer | undefined;
  let stopping: Promise<void> | undefined;
  let supervisor: Supervisor | undefined;
  let lostHost: string | undefined;
  try {
    store = await openStore(config, { answersRequests: withDashboard });
    if (sharedByHosts(config)) {
      hostLock = await HostLock.acquire({
        store, host: config.hostName, ttlMs: config.leaderLeaseMs, where: storageWhere(config), logger: log,
        onLost: (why) => {
          lostHost = why;
          log.error(`${why}: stopping this host's agents`);
          stopping ??= supervisor?.stop(why);
        },
      });
    }
    const agents = [...systemAgents(config), ...(opts.demo ? demoAgents(config) : []), ...(opts.extra ?? [])];
    if (sharedByHosts(config)) {
      // one record per name: a second host running the same name would overwrite the first's story
      const taken = namesTakenElsewhere(await readSupervisors(store, config), config.hostName, agents.map((a) => a.name));
      if (taken.length > 0) throw new AgentNameTakenError(taken, config.hostName);
    }
    const sup = (supervisor = new Supervisor({ config, store, logger, agents }));
    onStopSignals((signal) => {
      stopping ??= sup.stop(`${signal} received`);
    });
    log.info(describeTracing(tracingSettings()));
    log.info(channels.length ? `notifications to ${channels.map((c) => c.id).join(", ")} (sent by ${monitorName})` : "notifications off (NOTIFY_URLS is not set)");
    log.info(`supervising ${agents.map((a) => a.name).join(", ")} on ${(await store.storageInfo()).location} ` +
      `(heartbeat ${config.heartbeatIntervalMs / 1000}s, stale after ${config.staleThresholdMs / 1000}s)`);
    await sup.start();
    if (withDashboard) {
      // the agents first: loading fastify competed with their last steps (~0.3 s of start-up on two
      // cores); a hung agent delays the dashboard by at most a few seconds
      await untilOrAfter(sup.agentsActive(), DASHBOARD_WAITS_FOR_AGENTS_MS);
      server = await startDashboard(store, config, logger, monitorName);
    }
    await sup.wait();
    await stopping;
    if (sup.fatalError) throw sup.fatalError;
    // another supervisor runs this host now: not a clean stop (a process manager should know)
    if (lostHost) return EXIT.PROBLEMS;
    log.info("supervisor stopped");
    return EXIT.OK;
  } catch (e) {
    log.error(isBgAgentsError(e) ? e.message : ((e as Error)?.stack ?? String(e)));
    // agents may be running (start() spawns them): stop them rather than leave orphans behind
    if (supervisor) {
      try {
        await (stopping ??= supervisor.stop(`supervisor failed: ${(e as Error)?.message ?? String(e)}`));
      } catch (stopError) {
        log.error(`stopping the agents failed: ${(stopError as Error)?.message ?? String(stopError)}`);
      }
    }
    return isBgAgentsError(e) ? EXIT.USAGE : EXIT.PROBLEMS;
  } finally {
    await server?.close();
    await hostLock?.release();
    await store?.close();
    fileLock?.release();
    await closeLogger(logger);
  }
}

/** At most this long the dashboard waits for the agents to be active before it starts anyway. */
const DASHBOARD_WAITS_FOR_AGENTS_MS = 3_000;

async function untilOrAfter(done: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

/** The dashboard is a window on the fleet, not part of it: a taken port is logged, the fleet runs on. */
async function startDashboard(store: StateStore, config: Config, logger: Logger, monitorName: string): Promise<RunningServer | undefined> {
  const log = logger.child({ module: "app" });
  try {
    // /healthz watches the supervised monitor, whose name is fixed (per host on PostgreSQL) whatever AGENT_NAME says
    const { startServer } = await import("../http/index.js");
    const server = await startServer({ store, config, logger, monitorName });
    log.info(`dashboard on ${server.url}`);
    return server;
  } catch (e) {
    if (isConfigError(e)) throw e; // unsafe bind (non-loopback without API_TOKEN): refuse to start
    log.error(`dashboard not started: ${(e as Error).message.replace(/\.?$/, ".")} Or run with --no-dashboard.`);
    return undefined;
  }
}

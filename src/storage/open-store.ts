/**
 * The one place that chooses and opens a storage backend. Every entry point (supervisor, agent
 * processes, CLI, HTTP server, the graphs' default context, AgentClient) opens its store here.
 * DATABASE_URL selects PostgreSQL; otherwise SQLite at DATABASE_PATH. Each backend is imported
 * only when chosen, so a SQLite user never loads pg (and the other way round).
 */
import type { Clock } from "../clock/index.js";
import type { Config } from "../config/index.js";
import type { StateLock } from "../locking/index.js";
import type { StateStore } from "./types.js";

export interface OpenStoreOptions {
  /** Tests: the store's clock. On PostgreSQL it replaces the server's clock, so never set it in production. */
  clock?: Clock;
  /** Tests: hand in a lock instead of the backend's own (SQLite). */
  lock?: StateLock;
  /**
   * This process answers requests (the dashboard/API server): on SQLite its WAL checkpoints move to
   * a thread once it writes more than 1,000 rows a second, so their fsyncs do not stop the event loop.
   * Elsewhere they stay inline: a writer that waits for its fsync holds up only itself, and eight
   * writer processes with a thread each were measured at half the throughput (docs/runtime.md).
   */
  answersRequests?: boolean;
}

export async function openStore(config: Config, opts: OpenStoreOptions = {}): Promise<StateStore> {
  const detection = { phiThreshold: config.phiThreshold, staleThresholdMs: config.staleThresholdMs };
  if (config.databaseUrl) {
    const { PgStore } = await import("./postgres/pg-store.js");
    return PgStore.open({
      url: config.databaseUrl,
      schema: config.databaseSchema,
      retryAttempts: config.retryAttempts,
      backoffFactor: config.backoffFactor,
      // a restarted or briefly unreachable server costs a pause, not failed cycles and restarts
      reconnectWindowMs: Math.max(60_000, 2 * config.staleThresholdMs),
      checkpointRetention: config.checkpointRetention,
      applicationName: `background-agents ${config.agentName}`.slice(0, 63),
      testClock: opts.clock,
      detection,
    });
  }
  const { SharedState } = await import("./sqlite/shared-state.js");
  const { answersRequests, ...rest } = opts;
  return SharedState.open({
    path: config.databasePath,
    lockTimeoutMs: config.lockTimeoutMs,
    retryAttempts: config.retryAttempts,
    backoffFactor: config.backoffFactor,
    checkpointRetention: config.checkpointRetention,
    detection,
    walCheckpoints: answersRequests ? { threadAbovePerSecond: 1000 } : undefined,
    ...rest,
  });
}

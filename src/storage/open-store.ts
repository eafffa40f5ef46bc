/**
 * The one place that chooses and opens a storage backend. Every entry point (supervisor, agent
 * processes, CLI, HTTP server, the graphs' default context, AgentClient) opens its store here.
 */
import type { Clock } from "../clock/index.js";
import type { Config } from "../config/index.js";
import type { StateLock } from "../locking/index.js";
import type { StateStore } from "./types.js";

export interface OpenStoreOptions {
  clock?: Clock;
  /** Tests: hand in a lock instead of the backend's own. */
  lock?: StateLock;
}

export async function openStore(config: Config, opts: OpenStoreOptions = {}): Promise<StateStore> {
  const { SharedState } = await import("./sqlite/shared-state.js");
  return SharedState.open({
    path: config.databasePath,
    lockTimeoutMs: config.lockTimeoutMs,
    retryAttempts: config.retryAttempts,
    backoffFactor: config.backoffFactor,
    checkpointRetention: config.checkpointRetention,
    ...opts,
  });
}

/** What a Supervisor is given: its configuration, store, logger, the agents it runs, and test seams. */
import type { Clock } from "../clock/index.js";
import type { Config } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { StateStore } from "../storage/index.js";
import type { AgentSpec } from "./agent-specs.js";

export interface SupervisorOptions {
  config: Config;
  store: StateStore;
  logger: Logger;
  agents: AgentSpec[];
  clock?: Clock;
  /** How long a stopping agent gets before SIGKILL. @defaultValue 10 s */
  stopGraceMs?: number;
  /** A monotonic clock, to notice the wall clock jumping. @defaultValue performance.now with the system clock, none with an injected one */
  monotonicNow?: () => number;
}

export const DEFAULT_STOP_GRACE_MS = 10_000;

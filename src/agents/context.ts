/**
 * What every agent's nodes need at run time, handed to the graph as LangGraph `context`.
 * When a graph runs without it (under the LangGraph CLI dev server), a default context is built
 * once per process from the environment (DATABASE_PATH etc.).
 */
import { randomUUID } from "node:crypto";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { systemClock, type Clock } from "../clock/index.js";
import { loadConfig, type Config } from "../config/index.js";
import { createLogger, type Logger } from "../logging/index.js";
import { openStore, type StateStore } from "../storage/index.js";
import { VERSION } from "../version.js";

export interface AgentContext {
  agentName: string;
  config: Config;
  store: StateStore;
  clock: Clock;
  logger: Logger;
  /** Aborted on shutdown: waits end at once, the current cycle finishes cleanly. */
  signal?: AbortSignal;
  /** Identifies this process's run of the agent; a new one makes `init` register again. */
  sessionId: string;
  version: string;
}

/** What createAgentContext() needs; the rest has defaults. */
export interface AgentContextOptions {
  agentName: string;
  config: Config;
  store: StateStore;
  logger: Logger;
  /** @defaultValue systemClock */
  clock?: Clock;
  signal?: AbortSignal;
  /** @defaultValue a new random UUID (a new process run) */
  sessionId?: string;
  /** @defaultValue this package's VERSION */
  version?: string;
}

/** The one place an AgentContext is built: runner, supervisor, LangGraph dev server and tests. */
export function createAgentContext(o: AgentContextOptions): AgentContext {
  return {
    agentName: o.agentName,
    config: o.config,
    store: o.store,
    clock: o.clock ?? systemClock,
    logger: o.logger,
    signal: o.signal,
    sessionId: o.sessionId ?? randomUUID(),
    version: o.version ?? VERSION,
  };
}

export interface GraphContext {
  agent: AgentContext;
}

let shared: Promise<{ config: Config; store: StateStore; logger: Logger }> | undefined;
const defaults = new Map<string, Promise<AgentContext>>();

/** The process-wide default context for `agentName`, built from the environment on first use. */
export function defaultContext(agentName: string): Promise<AgentContext> {
  let ctx = defaults.get(agentName);
  if (!ctx) {
    shared ??= (async () => {
      const config = loadConfig();
      const store = await openStore(config);
      const logger = createLogger({ agentName: "langgraph-dev", level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
      return { config, store, logger };
    })();
    ctx = shared.then(({ config, store, logger }) =>
      createAgentContext({ agentName, config, store, logger: logger.child({ agent: agentName }), sessionId: `pid-${process.pid}` }));
    defaults.set(agentName, ctx);
  }
  return ctx;
}

/** The context of this graph run: the one passed in `context.agent`, or the default. */
export function contextOf(runConfig: LangGraphRunnableConfig | undefined, defaultAgentName: string): Promise<AgentContext> {
  const given = (runConfig?.context as Partial<GraphContext> | undefined)?.agent;
  return given ? Promise.resolve(given) : defaultContext(defaultAgentName);
}

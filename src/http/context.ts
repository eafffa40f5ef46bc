/**
 * What every route plugin of the dashboard/API server gets: the store, config, a module logger,
 * the clock, and the server's helpers (live updates, perf sampler, metrics, safety hook).
 */
import type { FastifyInstance, onRequestHookHandler } from "fastify";
import type { Clock } from "../clock/index.js";
import type { Config } from "../config/index.js";
import type { LangGraphWatcher } from "../langgraph-watch/index.js";
import type { Logger } from "../logging/index.js";
import type { StateStore } from "../storage/index.js";
import type { LiveUpdates } from "./live-updates.js";
import type { HttpMetrics } from "./metrics.js";
import type { PerfSampler } from "./perf-sampler.js";

export interface ServerContext {
  store: StateStore;
  config: Config;
  logger: Logger;
  clock: Clock;
  /** The HeartbeatHealthAgent whose heartbeat /healthz watches. */
  monitorName: string;
  live: LiveUpdates;
  perf: PerfSampler;
  metrics: HttpMetrics;
  /** onRequest hook for state-changing routes: checks the bearer token (see safety.ts). */
  requireToken: onRequestHookHandler;
  /** The LangGraph server watcher; undefined when LANGGRAPH_API_URL is unset. */
  langgraph?: LangGraphWatcher;
}

/** A route module: registers its routes on the app. Listed in routes/index.ts. */
export type RoutePlugin = (app: FastifyInstance, ctx: ServerContext) => void | Promise<void>;

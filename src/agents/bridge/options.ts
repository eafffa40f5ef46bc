/**
 * The LangSmithBridgeAgent's settings and run source, per agent context. The agent class hands
 * them in (tests: a local stand-in); under the supervisor or the LangGraph dev server they come
 * from the LANGSMITH_* environment variables.
 */
import { SYSTEM_AGENTS } from "../../storage/index.js";
import { tracingSettings, type TracingSettings } from "../../tracing/index.js";
import type { AgentContext } from "../context.js";
import { LangSmithRunSource, type RunSource } from "./source.js";

export const BRIDGE_AGENT = SYSTEM_AGENTS.bridge;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface BridgeOptions {
  /** @defaultValue from LANGSMITH_* */
  settings?: TracingSettings;
  /** @defaultValue LangSmithRunSource(settings) */
  source?: RunSource;
  /** The first read of a project starts this far back. @defaultValue 1 h */
  lookbackMs?: number;
  /** Runs read per cycle at most. @defaultValue 100 */
  pageSize?: number;
  /** First wait after a failed read; grows by BACKOFF_FACTOR. @defaultValue HEARTBEAT_INTERVAL */
  retryBaseMs?: number;
  /** @defaultValue 5 min */
  maxBackoffMs?: number;
  /** Per-agent error rate and latency cover runs started this long ago. @defaultValue 1 h */
  statsWindowMs?: number;
  /** Summaries older than this are deleted (once an hour). @defaultValue 7 days */
  retentionMs?: number;
  /** The cursor waits at a pending run younger than this, so its end is read later. @defaultValue 10 min */
  pendingHoldMs?: number;
}

export type Bridge = Required<Omit<BridgeOptions, "source">> & { source: RunSource | undefined };

const given = new WeakMap<AgentContext, BridgeOptions>();
const resolved = new WeakMap<AgentContext, Bridge>();

/** Sets the bridge options for the runs of `ctx` (before its graph runs). */
export function configureBridge(ctx: AgentContext, opts: BridgeOptions): void {
  given.set(ctx, opts);
  resolved.delete(ctx);
}

export function resolveBridge(opts: BridgeOptions, heartbeatIntervalMs: number, env: NodeJS.ProcessEnv = process.env): Bridge {
  const settings = opts.settings ?? tracingSettings(env);
  return {
    settings,
    source: opts.source ?? (settings.apiKey ? new LangSmithRunSource(settings) : undefined),
    lookbackMs: opts.lookbackMs ?? HOUR,
    pageSize: opts.pageSize ?? 100,
    retryBaseMs: opts.retryBaseMs ?? heartbeatIntervalMs,
    maxBackoffMs: opts.maxBackoffMs ?? 5 * MINUTE,
    statsWindowMs: opts.statsWindowMs ?? HOUR,
    retentionMs: opts.retentionMs ?? 7 * 24 * HOUR,
    pendingHoldMs: opts.pendingHoldMs ?? 10 * MINUTE,
  };
}

/** The bridge of this context: configured, or built once from the environment. */
export function bridgeOf(ctx: AgentContext): Bridge {
  let b = resolved.get(ctx);
  if (!b) {
    b = resolveBridge(given.get(ctx) ?? {}, ctx.config.heartbeatIntervalMs);
    resolved.set(ctx, b);
  }
  return b;
}

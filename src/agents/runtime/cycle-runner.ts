/**
 * Runs an agent graph forever as one invocation per cycle on a fixed thread, so the recursion
 * limit never bites, each cycle is one trace, and a restart resumes from the last checkpoint.
 * Failures follow the seed's lifecycle: error → recovering (backoff) → active, or failed after
 * RETRY_ATTEMPTS consecutive failed cycles.
 */
import { BgAgentsError } from "../../errors/index.js";
import { backoffDelay } from "../../locking/index.js";
import type { AgentContext } from "../context.js";
import { invokeConfig } from "./invoke-config.js";

/** The part of a compiled LangGraph graph the runner uses. */
export interface RunnableGraph {
  invoke(input: unknown, config: Record<string, unknown>): Promise<unknown>;
  getState(config: Record<string, unknown>): Promise<{ next: readonly string[]; values: unknown }>;
}

export class AgentFailedError extends BgAgentsError {
  constructor(readonly agentName: string, readonly failures: number, cause: unknown) {
    super("AGENT_FAILED", `${agentName} failed ${failures} cycles in a row (RETRY_ATTEMPTS); last error: ${(cause as Error)?.message ?? cause}. ` +
      `See its log, fix the cause, then restart it (bg-agents restart).`, { cause });
    this.name = "AgentFailedError";
  }
}

export interface CycleRunnerOptions {
  ctx: AgentContext;
  graph: RunnableGraph;
  threadId: string;
  /** The input of each new invocation. @defaultValue { maxCycles: 1, sessionId } */
  input?: () => Record<string, unknown>;
  /** Steps one invocation may take. @defaultValue 50 */
  recursionLimit?: number;
  /** Called after each successful invocation with the graph's output. */
  onCycle?: (values: unknown) => void;
}


/** Resolves when `ctx.signal` aborts; rejects with AgentFailedError after too many failed cycles. */
export async function runCycles(o: CycleRunnerOptions): Promise<void> {
  const { ctx } = o;
  const { store, logger, clock, config } = ctx;
  const log = logger.child({ module: "runner" });
  let cycle = 0;
  const cfg = () => invokeConfig({ ...o, cycle });
  const input = o.input ?? (() => ({ maxCycles: 1, sessionId: ctx.sessionId }));

  const pending = await o.graph.getState(cfg());
  if (pending.next.length > 0) {
    log.info(`resuming interrupted cycle at ${pending.next.join(",")}`);
    await o.graph.invoke(null, cfg());
  }

  let failures = 0;
  while (!ctx.signal?.aborted) {
    try {
      cycle++;
      const out = await o.graph.invoke(input(), cfg());
      if (failures > 0) {
        await store.updateAgentState(ctx.agentName, "active", `recovered after ${failures} failed cycle(s)`);
        log.info(`recovered after ${failures} failed cycle(s)`);
        failures = 0;
      }
      o.onCycle?.(out);
    } catch (e) {
      if (ctx.signal?.aborted) break;
      failures++;
      const message = (e as Error)?.message ?? String(e);
      log.error(`cycle failed (${failures}/${config.retryAttempts}): ${message}`);
      await quietly(() => store.recordError(ctx.agentName, message));
      await quietly(() => store.updateAgentState(ctx.agentName, "error", message.slice(0, 500)));
      if (failures >= config.retryAttempts) {
        await quietly(() => store.updateAgentState(ctx.agentName, "failed", `${failures} consecutive failed cycles: ${message.slice(0, 400)}`));
        throw new AgentFailedError(ctx.agentName, failures, e);
      }
      const delay = backoffDelay(failures, Math.min(1000, config.heartbeatIntervalMs), config.backoffFactor);
      await clock.sleep(delay, ctx.signal);
      await quietly(() => store.updateAgentState(ctx.agentName, "recovering", `retry ${failures} of ${config.retryAttempts - 1} after ${Math.round(delay)} ms`));
    }
  }
}

/** Best effort: a failing bookkeeping write must not hide the error being handled. */
async function quietly(op: () => Promise<unknown>): Promise<void> {
  try {
    await op();
  } catch {
    /* the database may be the very thing that is failing */
  }
}

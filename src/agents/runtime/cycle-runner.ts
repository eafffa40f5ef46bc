/**
 * Runs an agent graph forever as one invocation per cycle on a fixed thread, so the recursion
 * limit never bites, each cycle is one trace, and a restart resumes from the last checkpoint.
 * Failures follow the seed's lifecycle: error → recovering (backoff) → active, or failed after
 * RETRY_ATTEMPTS consecutive failed cycles. A cycle the storage refused (disk full, read-only,
 * lock held too long, server down: see storageRefusal) is not the agent's failure: it waits and
 * tries again, at most one heartbeat interval apart, without spending RETRY_ATTEMPTS, and logs one
 * line when it starts and one when it ends.
 */
import { BgAgentsError } from "../../errors/index.js";
import { backoffDelay } from "../../locking/index.js";
import { RepeatedProblem } from "../../logging/repeat.js";
import { storageRefusal, storageWhere } from "../../storage/index.js";
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

  const where = storageWhere(config);
  const refused = new RepeatedProblem(log, `${ctx.agentName}: database write`, { clock });
  let refusals = 0;
  /** If `e` is a storage refusal: counts it and waits (true); the caller then tries again. */
  const waitIfRefused = async (e: unknown): Promise<boolean> => {
    const r = storageRefusal(e, where);
    if (!r) return false;
    refusals++;
    refused.failed(e, { hint: `${r.hint}; the agent waits and retries (not a failed cycle)` });
    const interval = config.heartbeatIntervalMs;
    await clock.sleep(backoffDelay(refusals, Math.min(250, interval), config.backoffFactor, interval), ctx.signal);
    return true;
  };

  for (;;) {
    try {
      const pending = await o.graph.getState(cfg());
      if (pending.next.length > 0) {
        log.info(`resuming interrupted cycle at ${pending.next.join(",")}`);
        await o.graph.invoke(null, cfg());
      }
      break;
    } catch (e) {
      if (ctx.signal?.aborted) return;
      if (!(await waitIfRefused(e))) throw e;
    }
  }

  let failures = 0;
  while (!ctx.signal?.aborted) {
    try {
      cycle++;
      const out = await o.graph.invoke(input(), cfg());
      if (refusals > 0) {
        // the monitor or the supervisor may have written this record meanwhile: say it is back
        await store.updateAgentState(ctx.agentName, "active", `the database accepts writes again after ${refusals} refused cycle(s)`);
        refused.recovered();
        refusals = 0;
      }
      if (failures > 0) {
        await store.updateAgentState(ctx.agentName, "active", `recovered after ${failures} failed cycle(s)`);
        log.info(`recovered after ${failures} failed cycle(s)`);
        failures = 0;
      }
      o.onCycle?.(out);
    } catch (e) {
      if (ctx.signal?.aborted) break;
      if (await waitIfRefused(e)) continue;
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

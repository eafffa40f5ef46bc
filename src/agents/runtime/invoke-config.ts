/**
 * The LangGraph config of one agent cycle: fixed thread (resume after restart), our context,
 * sync durability (a failed checkpoint write rejects the invoke instead of vanishing), and the
 * trace name/tags/metadata LangSmith shows: one root run `<agent>.cycle` per cycle, the nodes as
 * its children (src/tracing/cycle.ts).
 */
import { cycleTraceFields } from "../../tracing/index.js";
import type { AgentContext, GraphContext } from "../context.js";

export interface InvokeConfigOptions {
  ctx: AgentContext;
  threadId: string;
  /** Cycles this process has started (for trace metadata). */
  cycle?: number;
  recursionLimit?: number;
}

export function invokeConfig(o: InvokeConfigOptions): Record<string, unknown> {
  const context: GraphContext = { agent: o.ctx };
  const trace = cycleTraceFields({
    agentName: o.ctx.agentName,
    cycle: o.cycle ?? 0,
    threadId: o.threadId,
    sessionId: o.ctx.sessionId,
    version: o.ctx.version,
  });
  return {
    configurable: { thread_id: o.threadId },
    context,
    durability: "sync",
    recursionLimit: o.recursionLimit ?? 50,
    ...trace,
  };
}

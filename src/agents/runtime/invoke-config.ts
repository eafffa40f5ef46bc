/**
 * The LangGraph config of one agent cycle: fixed thread (resume after restart), our context,
 * sync durability (a failed checkpoint write rejects the invoke instead of vanishing), and the
 * trace name/tags/metadata LangSmith shows.
 */
import { hostname } from "node:os";
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
  return {
    configurable: { thread_id: o.threadId },
    context,
    durability: "sync",
    recursionLimit: o.recursionLimit ?? 50,
    runName: `${o.ctx.agentName}.cycle`,
    tags: ["background-agents", `agent:${o.ctx.agentName}`],
    metadata: { agent: o.ctx.agentName, cycle: o.cycle ?? 0, pid: process.pid, host: hostname(), thread_id: o.threadId, version: o.ctx.version },
  };
}

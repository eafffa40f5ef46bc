/**
 * How one agent cycle appears in LangSmith: a root run named `<agent>.cycle` (the graph's nodes are
 * its child runs), tags to filter by, and metadata naming the agent, cycle, process and thread.
 * In LangSmith: filter `has(tags, "agent:HeartbeatHealthAgent")` or metadata `agent`.
 */
import { defaultHostName } from "../config/index.js";

export const TRACE_TAG = "background-agents";

export interface CycleTraceOptions {
  agentName: string;
  /** Cycles this process has started. */
  cycle: number;
  threadId: string;
  sessionId?: string;
  version?: string;
}

export interface CycleTraceFields {
  runName: string;
  tags: string[];
  metadata: Record<string, unknown>;
}

export const cycleRunName = (agentName: string) => `${agentName}.cycle`;

export function cycleTraceFields(o: CycleTraceOptions): CycleTraceFields {
  const host = defaultHostName();
  return {
    runName: cycleRunName(o.agentName),
    tags: [TRACE_TAG, `agent:${o.agentName}`, `host:${host}`],
    metadata: {
      agent: o.agentName,
      cycle: o.cycle,
      pid: process.pid,
      host,
      thread_id: o.threadId,
      ...(o.sessionId ? { session_id: o.sessionId } : {}),
      ...(o.version ? { version: o.version } : {}),
    },
  };
}

/** The agent a LangSmith run belongs to: our metadata, our tag, the dev server's graph id, or its name. */
export function agentOfRun(run: { name?: string; tags?: string[] | null; extra?: Record<string, unknown> | null }): string {
  const meta = (run.extra?.metadata ?? {}) as Record<string, unknown>;
  if (typeof meta.agent === "string" && meta.agent) return meta.agent;
  const tag = run.tags?.find((t) => t.startsWith("agent:"));
  if (tag) return tag.slice("agent:".length);
  if (typeof meta.graph_id === "string" && meta.graph_id) return meta.graph_id;
  return (run.name ?? "unknown").replace(/\.cycle$/, "");
}

/**
 * Follows a LangGraph run through its callbacks: which node runs, at which step, on which thread,
 * how the last run ended. A node start is a chain start whose metadata.langgraph_node is its run
 * name (hidden internal chains carry the tag langsmith:hidden); the root run has no parent.
 * Never throws: callbacks run in the background and an error there would only be logged by LangChain.
 */
import { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { isGraphBubbleUp, isGraphInterrupt } from "@langchain/langgraph";
import type { AgentActivity } from "../storage/index.js";

interface RootRun {
  startedAt: number;
  threadId: string | null;
}

export interface ActivityEvents {
  /** A node failed with a real error (not an interrupt or a bubble-up). */
  onNodeError(message: string, node: string | null): void;
  /** A node started or ended: the run is making progress. */
  onProgress(): void;
}

export class ActivityTracker extends BaseCallbackHandler {
  name = "bg-agents-activity";
  private readonly roots = new Map<string, RootRun>();
  private readonly nodes = new Map<string, string>();
  private node: string | null = null;
  private step: number | null = null;
  private threadId: string | null = null;
  private runStartedAt: number | null = null;
  private lastProgressAt: number | null = null;
  private lastRun: AgentActivity["lastRun"] = null;

  constructor(private readonly now: () => number, private readonly events: ActivityEvents) {
    super();
  }

  snapshot(stuckAfterMs: number): AgentActivity {
    const running = this.roots.size;
    const stuck = running > 0 && this.lastProgressAt !== null && this.now() - this.lastProgressAt > stuckAfterMs;
    return {
      status: stuck ? "stuck" : running > 0 ? "running" : "idle",
      node: running > 0 ? this.node : null,
      step: running > 0 ? this.step : null,
      threadId: this.threadId,
      runStartedAt: running > 0 ? this.runStartedAt : null,
      lastProgressAt: this.lastProgressAt,
      running,
      lastRun: this.lastRun,
    };
  }

  override handleChainStart(...args: unknown[]): void {
    try {
      const [, , runId, parentRunId, tags, metadata, , runName] = args as [unknown, unknown, string, string | undefined, string[] | undefined, Record<string, unknown> | undefined, unknown, string | undefined];
      const now = this.now();
      if (parentRunId === undefined) {
        const threadId = typeof metadata?.thread_id === "string" ? metadata.thread_id : null;
        this.roots.set(runId, { startedAt: now, threadId });
        this.threadId = threadId;
        this.runStartedAt = now;
        this.progress(now);
        return;
      }
      const node = metadata?.langgraph_node;
      if (typeof node === "string" && node === runName && !tags?.includes("langsmith:hidden")) {
        this.nodes.set(runId, node);
        this.node = node;
        this.step = typeof metadata?.langgraph_step === "number" ? metadata.langgraph_step : this.step;
        if (typeof metadata?.thread_id === "string") this.threadId = metadata.thread_id;
        this.progress(now);
      }
    } catch {
      // never break the user's graph
    }
  }

  override handleChainEnd(...args: unknown[]): void {
    try {
      const [, runId] = args as [unknown, string];
      this.finish(runId, "success");
    } catch {
      // never break the user's graph
    }
  }

  override handleChainError(...args: unknown[]): void {
    try {
      const [err, runId] = args as [unknown, string];
      if (isGraphInterrupt(err)) return this.finish(runId, "interrupted");
      if (isGraphBubbleUp(err)) return this.finish(runId, "success", true);
      const message = err instanceof Error ? err.message : String(err);
      const node = this.nodes.get(runId);
      if (node !== undefined) this.events.onNodeError(message, node);
      this.finish(runId, "error", false, message);
    } catch {
      // never break the user's graph
    }
  }

  private finish(runId: string, outcome: "success" | "error" | "interrupted", bubbling = false, error?: string): void {
    const now = this.now();
    if (this.nodes.delete(runId)) return this.progress(now);
    const root = this.roots.get(runId);
    if (!root) return;
    this.roots.delete(runId);
    if (!bubbling || outcome !== "success") {
      this.lastRun = { outcome, durationMs: now - root.startedAt, endedAt: now, ...(error ? { error: error.slice(0, 500) } : {}) };
    }
    this.progress(now);
  }

  private progress(now: number): void {
    this.lastProgressAt = now;
    this.events.onProgress();
  }
}

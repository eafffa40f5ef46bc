/**
 * CheckpointStore: LangGraph checkpoints on the same store, pruned to the retention per thread,
 * and a thread resumes from them (also through a second checkpointer of the same store).
 * The saver's full behaviour is LangGraph's own validation suite (test/storage/sqlite/checkpointer-conformance).
 */
import { Annotation, END, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import type { Open } from "./harness.js";

const Counter = Annotation.Root({
  count: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }),
  target: Annotation<number>({ reducer: (_old, next) => next, default: () => 0 }),
});

/** One step a superstep: counts up to `target`, a checkpoint each step. */
function counterGraph(checkpointer: BaseCheckpointSaver) {
  return new StateGraph(Counter)
    .addNode("step", (s: typeof Counter.State) => ({ count: s.count + 1 }))
    .addEdge(START, "step")
    .addConditionalEdges("step", (s: typeof Counter.State) => (s.count < s.target ? "step" : END))
    .compile({ checkpointer });
}

async function checkpointsOf(saver: BaseCheckpointSaver, threadId: string): Promise<number> {
  let n = 0;
  for await (const _ of saver.list({ configurable: { thread_id: threadId } })) n++;
  return n;
}

export function checkpointerSuite(open: Open): void {
  describe("checkpointer", () => {
    it("keeps at most the retention of checkpoints per thread over many steps, and the thread resumes", async () => {
      const retention = 4;
      const { store } = await open({ checkpointRetention: retention });
      const saver = await store.createCheckpointer();
      const graph = counterGraph(saver);
      const cfg = { configurable: { thread_id: "counter" }, recursionLimit: 200 };
      expect((await graph.invoke({ target: 60 }, cfg)).count).toBe(60);
      expect(await checkpointsOf(saver, "counter")).toBeGreaterThan(0);
      expect(await checkpointsOf(saver, "counter")).toBeLessThanOrEqual(retention);

      // a second thread is pruned on its own and does not touch the first
      const other = { configurable: { thread_id: "other" }, recursionLimit: 200 };
      expect((await graph.invoke({ target: 3 }, other)).count).toBe(3);
      expect(await checkpointsOf(saver, "other")).toBeLessThanOrEqual(retention);
      expect((await graph.getState(cfg)).values).toEqual({ count: 60, target: 60 });

      // resumes from the stored state, through a fresh checkpointer of the same store
      const again = counterGraph(await store.createCheckpointer());
      expect((await again.getState(cfg)).values).toEqual({ count: 60, target: 60 });
      expect((await again.invoke({ target: 90 }, cfg)).count).toBe(90);
      expect(await checkpointsOf(saver, "counter")).toBeLessThanOrEqual(retention);
      expect((await graph.getState(other)).values).toEqual({ count: 3, target: 3 });
    });
  });
}

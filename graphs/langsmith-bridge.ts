/**
 * LangSmithBridgeAgent (placeholder until its own issue lands): registers and heartbeats.
 *   START → fetch → wait → (fetch | END)
 */
import { Annotation, END, START, StateGraph, type BaseCheckpointSaver, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { contextOf } from "../src/agents/context.js";

const AGENT = "LangSmithBridgeAgent";

const State = Annotation.Root({
  maxCycles: Annotation<number>({ reducer: (_a, b) => b, default: () => 1 }),
  cycle: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
  runStartCycle: Annotation<number>({ reducer: (_a, b) => b, default: () => 0 }),
});

async function fetchRuns(state: typeof State.State, config?: LangGraphRunnableConfig) {
  const c = await contextOf(config, AGENT);
  await c.store.updateHeartbeat(c.agentName);
  return { cycle: state.cycle + 1 };
}

async function waitInterval(_state: typeof State.State, config?: LangGraphRunnableConfig) {
  const c = await contextOf(config, AGENT);
  await c.clock.sleep(c.config.heartbeatIntervalMs, c.signal);
  return {};
}

export const workflow = new StateGraph(State)
  .addNode("begin", (s: typeof State.State) => ({ runStartCycle: s.cycle }))
  .addNode("fetch", fetchRuns)
  .addNode("wait", waitInterval)
  .addEdge(START, "begin")
  .addEdge("begin", "fetch")
  .addEdge("fetch", "wait")
  .addConditionalEdges("wait", (s: typeof State.State) => (s.cycle - s.runStartCycle < s.maxCycles ? "fetch" : END), ["fetch", END]);

export const buildGraph = (checkpointer?: BaseCheckpointSaver) => workflow.compile({ checkpointer, name: AGENT });
export const graph = buildGraph();

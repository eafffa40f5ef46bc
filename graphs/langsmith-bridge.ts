/**
 * LangSmithBridgeAgent: copies the LangSmith project's recent runs (one per agent cycle) into the
 * shared database as run summaries, with per-agent error rate and latency.
 *
 *   START → init → fetch → store → summarize → wait ─┬→ fetch
 *                                                    └→ END (cycle budget spent / shutdown)
 *
 * Input `{ maxCycles, sessionId }`; one invocation runs maxCycles cycles and ends. Without
 * LANGSMITH_API_KEY it idles ("tracing off"); with LangSmith unreachable it backs off and stays
 * active. Node logic: src/agents/bridge/nodes.ts.
 */
import { END, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import { fetchRuns, initBridge, routeAfterWait, storeBatch, summarizeRuns, waitBridge } from "../src/agents/bridge/nodes.js";
import { BRIDGE_AGENT } from "../src/agents/bridge/options.js";
import { BridgeState } from "../src/agents/bridge/state.js";

export const workflow = new StateGraph(BridgeState)
  .addNode("init", initBridge)
  .addNode("fetch", fetchRuns)
  .addNode("store", storeBatch)
  .addNode("summarize", summarizeRuns)
  .addNode("wait", waitBridge)
  .addEdge(START, "init")
  .addEdge("init", "fetch")
  .addEdge("fetch", "store")
  .addEdge("store", "summarize")
  .addEdge("summarize", "wait")
  .addConditionalEdges("wait", routeAfterWait, ["fetch", END]);

export const buildGraph = (checkpointer?: BaseCheckpointSaver) => workflow.compile({ checkpointer, name: BRIDGE_AGENT });

export const graph = buildGraph();

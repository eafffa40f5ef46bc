/**
 * PerformanceMonitorAgent: samples the fleet's performance, warns on crossed thresholds, records
 * the samples with retention.
 *
 *   START → init → sample → evaluate → record → wait ─┬→ sample
 *                                                     └→ END (cycle budget spent / shutdown)
 *
 * Input `{ maxCycles, sessionId }`. Node logic: src/agents/performance/nodes.ts.
 */
import { END, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import { evaluatePerf, initPerf, PERFORMANCE_AGENT, recordPerf, routePerf, samplePerf, waitPerf } from "../src/agents/performance/nodes.js";
import { PerfState } from "../src/agents/performance/state.js";

export const workflow = new StateGraph(PerfState)
  .addNode("init", initPerf)
  .addNode("sample", samplePerf)
  .addNode("evaluate", evaluatePerf)
  .addNode("record", recordPerf)
  .addNode("wait", waitPerf)
  .addEdge(START, "init")
  .addEdge("init", "sample")
  .addEdge("sample", "evaluate")
  .addEdge("evaluate", "record")
  .addEdge("record", "wait")
  .addConditionalEdges("wait", routePerf, ["sample", END]);

export const buildGraph = (checkpointer?: BaseCheckpointSaver) => workflow.compile({ checkpointer, name: PERFORMANCE_AGENT });

export const graph = buildGraph();

/**
 * HeartbeatHealthAgent: watches every registered agent's heartbeat and marks stale ones inactive.
 *
 *   START → init → loop → check ─┬─ stale agents ──→ update → log → signals → wait ─┬→ loop
 *                                ├─ agents back ───────────→ log ↗                   └→ END (cycle budget spent / shutdown)
 *                                └─ nothing to do ──────────────→ signals
 *
 * `signals`: the leader's anomaly detection on the agents' own signals (RSS, CPU, lag, ...).
 *
 * One invocation runs `maxCycles` cycles (input, default 1) and ends, so the recursion limit never
 * bites, each cycle is its own trace, and a restart resumes from the last checkpoint.
 * Node logic: src/agents/heartbeat/nodes.ts.
 */
import { END, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import {
  checkAgents, initAgent, logChanges, loopCycle, routeAfterCheck, routeAfterWait, updateStates, waitInterval, watchAgentSignals,
} from "../src/agents/heartbeat/nodes.js";
import { HeartbeatState } from "../src/agents/heartbeat/state.js";

export const workflow = new StateGraph(HeartbeatState)
  .addNode("init", initAgent)
  .addNode("loop", loopCycle)
  .addNode("check", checkAgents)
  .addNode("update", updateStates)
  .addNode("log", logChanges)
  .addNode("signals", watchAgentSignals)
  .addNode("wait", waitInterval)
  .addEdge(START, "init")
  .addEdge("init", "loop")
  .addEdge("loop", "check")
  .addConditionalEdges("check", routeAfterCheck, ["update", "log", "signals"])
  .addEdge("update", "log")
  .addEdge("log", "signals")
  .addEdge("signals", "wait")
  .addConditionalEdges("wait", routeAfterWait, ["loop", END]);

export const buildGraph = (checkpointer?: BaseCheckpointSaver) =>
  workflow.compile({ checkpointer, name: "HeartbeatHealthAgent" });

export const graph = buildGraph();

/** The notifier runs beside the monitor's cycles (src/agents/heartbeat/sidecar.ts). */
export { heartbeatSidecar as sidecar } from "../src/agents/heartbeat/sidecar.js";

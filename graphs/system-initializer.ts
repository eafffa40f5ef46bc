/**
 * SystemInitializer: run once at start, before the agents.
 *
 *   START → check → reconcile → register → record → activate → END
 *
 * Input `{ maxCycles?, sessionId?, agents? }`: it always runs one cycle. After it, the supervisor
 * process keeps the SystemInitializer record alive by heartbeating from its supervision loop.
 * Node logic: src/agents/initializer/nodes.ts.
 */
import { END, START, StateGraph, type BaseCheckpointSaver } from "@langchain/langgraph";
import {
  activate, checkDatabase, INITIALIZER_AGENT, reconcileLeftovers, recordSystem, registerAgents,
} from "../src/agents/initializer/nodes.js";
import { InitState } from "../src/agents/initializer/state.js";

export const workflow = new StateGraph(InitState)
  .addNode("check", checkDatabase)
  .addNode("reconcile", reconcileLeftovers)
  .addNode("register", registerAgents)
  .addNode("record", recordSystem)
  .addNode("activate", activate)
  .addEdge(START, "check")
  .addEdge("check", "reconcile")
  .addEdge("reconcile", "register")
  .addEdge("register", "record")
  .addEdge("record", "activate")
  .addEdge("activate", END);

export const buildGraph = (checkpointer?: BaseCheckpointSaver) => workflow.compile({ checkpointer, name: INITIALIZER_AGENT });

export const graph = buildGraph();

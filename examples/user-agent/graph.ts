/**
 * A user's own agent graph, as a project outside this package writes it, with everything it needs
 * from `background-agents/agent`:
 *
 *   START → init → work → wait ─┬→ work
 *                                └→ END
 *
 * Run it with
 * `bg-agents start --agent MyAgent=./examples/user-agent/graph.ts` (tsx runs the .ts), or build it
 * and pass the .js (`dist/examples/user-agent/graph.js` after `npm run build`: no tsx in its process).
 */
import { Annotation, END, START, StateGraph, type BaseCheckpointSaver, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { contextOf, cycleChannels, hasCycleBudget, last, registerSelf, sendHeartbeat, waitForNextCycle } from "background-agents/agent";

/** The name the supervisor gives it (`--agent NAME=PATH` sets AGENT_NAME). */
const NAME = process.env.AGENT_NAME ?? "MyAgent";

const State = Annotation.Root({ ...cycleChannels(), done: last<number>(() => 0) });
type S = typeof State.State;
const ctx = (config?: LangGraphRunnableConfig) => contextOf(config, NAME);

async function init(state: S, config?: LangGraphRunnableConfig) {
  return registerSelf(await ctx(config), state, "my agent starting");
}

/** Its work; the heartbeat is sent from here, so a hung step goes stale. */
async function work(state: S, config?: LangGraphRunnableConfig) {
  const c = await ctx(config);
  await sendHeartbeat(c);
  return { cycle: state.cycle + 1, cycleStartedAt: c.clock.now(), done: state.done + 1 };
}

async function wait(state: S, config?: LangGraphRunnableConfig) {
  await waitForNextCycle(await ctx(config), state.cycleStartedAt);
  return {};
}

const next = async (state: S, config?: LangGraphRunnableConfig) => (hasCycleBudget(await ctx(config), state) ? "work" : END);

export const workflow = new StateGraph(State)
  .addNode("init", init)
  .addNode("work", work)
  .addNode("wait", wait)
  .addEdge(START, "init")
  .addEdge("init", "work")
  .addEdge("work", "wait")
  .addConditionalEdges("wait", next, ["work", END]);

export const buildGraph = (checkpointer?: BaseCheckpointSaver) => workflow.compile({ checkpointer, name: NAME });

/** For the LangGraph CLI (`langgraph.json` maps a graph by this name). */
export const graph = buildGraph();

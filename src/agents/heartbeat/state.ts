/**
 * HeartbeatHealthAgent graph state. Kept small on purpose: every superstep checkpoints all of it.
 * Input: `{ maxCycles?, sessionId? }`; everything else is the graph's own.
 */
import { Annotation } from "@langchain/langgraph";
import type { StaleAgent } from "../../storage/index.js";
import { cycleChannels, last } from "../runtime/cycle-state.js";

export const HeartbeatState = Annotation.Root({
  ...cycleChannels(),
  /** When the previous check ran: agents back from stale since then are logged. */
  lastCheckAt: last<number>(() => 0),
  staleCount: last<number>(() => 0),
  /** At most STALE_SAMPLE of the stale agents found by `check`, oldest first. */
  staleSample: last<StaleAgent[]>(() => []),
  /** Agents `update` actually moved to stale this cycle (a fresh heartbeat since `check` wins). */
  newlyStale: last<StaleAgent[]>(() => []),
  /** Agents that came back from stale since the previous check. */
  recovered: last<string[]>(() => []),
});

export type HeartbeatStateType = typeof HeartbeatState.State;
export type HeartbeatUpdate = typeof HeartbeatState.Update;

export const STALE_SAMPLE = 20;

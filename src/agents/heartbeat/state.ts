/**
 * HeartbeatHealthAgent graph state. Kept small on purpose: every superstep checkpoints all of it.
 * Input: `{ maxCycles?, sessionId? }`; everything else is the graph's own.
 */
import { Annotation } from "@langchain/langgraph";
import type { StaleAgent } from "../../storage/index.js";

const last = <T>(fallback: () => T) => Annotation<T>({ reducer: (_a, b) => b, default: fallback });

export const HeartbeatState = Annotation.Root({
  /** Cycles this invocation runs before it ends (input). @defaultValue 1 */
  maxCycles: last<number>(() => 1),
  /** Cycles completed on this thread, ever: survives restarts through the checkpoint. */
  cycle: last<number>(() => 0),
  /** `cycle` when this invocation began; the run ends at runStartCycle + maxCycles. */
  runStartCycle: last<number>(() => 0),
  /** The process run that last registered the agent (init re-registers on a new one). */
  sessionId: last<string>(() => ""),
  registeredSession: last<string>(() => ""),
  cycleStartedAt: last<number>(() => 0),
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

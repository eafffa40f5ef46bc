/**
 * LangSmithBridgeAgent graph state: the shared cycle channels plus this cycle's batch (handed from
 * fetch to store, then cleared so checkpoints stay small) and the backoff after failed reads.
 */
import { Annotation } from "@langchain/langgraph";
import type { RunSummary } from "../../storage/index.js";
import { cycleChannels, last } from "../runtime/cycle-state.js";

export type BridgeMode = "starting" | "ok" | "off" | "unreachable" | "backoff";

export const BridgeState = Annotation.Root({
  ...cycleChannels(),
  /** ok: read this cycle; off: no API key; unreachable: this read failed; backoff: waiting to retry. */
  mode: last<BridgeMode>(() => "starting"),
  /** Runs read this cycle (at most pageSize), stored by `store`, which clears them. */
  fetched: last<RunSummary[]>(() => []),
  /** The cursor to save with `fetched`. */
  cursor: last<number>(() => 0),
  /** Summaries new or changed this cycle. */
  stored: last<number>(() => 0),
  /** Consecutive failed reads; reads resume at nextFetchAt. */
  failures: last<number>(() => 0),
  nextFetchAt: last<number>(() => 0),
  lastError: last<string>(() => ""),
  lastPruneAt: last<number>(() => 0),
});

export type BridgeStateType = typeof BridgeState.State;
export type BridgeUpdate = typeof BridgeState.Update;

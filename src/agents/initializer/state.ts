/**
 * SystemInitializer graph state. Input: `{ maxCycles?, sessionId?, agents?, self? }` (agents: names
 * to register; self: the process its record names, when the graph runs in another one).
 */
import { Annotation } from "@langchain/langgraph";
import type { HeartbeatInfo } from "../../storage/index.js";
import { last } from "../runtime/cycle-state.js";

export interface Leftover {
  name: string;
  pid: number;
  state: string;
}

export const InitState = Annotation.Root({
  /** Accepted for the common agent contract; the initializer always runs exactly one cycle. */
  maxCycles: last<number>(() => 1),
  sessionId: last<string>(() => ""),
  /** The agents this start will run (registered if new). */
  agents: last<string[]>(() => []),
  /** The supervisor's pid, host, RSS... for the SystemInitializer's record; unset: the process running the graph. */
  self: last<HeartbeatInfo | undefined>(() => undefined),
  schemaVersion: last<number>(() => 0),
  leftovers: last<Leftover[]>(() => []),
  registered: last<string[]>(() => []),
});

export type InitStateType = typeof InitState.State;
export type InitUpdate = typeof InitState.Update;

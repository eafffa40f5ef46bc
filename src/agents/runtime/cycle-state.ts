/**
 * The state channels every agent graph shares: the cycle budget of one invocation, the cycle count
 * that survives restarts (checkpoint), and the session that registered the agent. Spread
 * `cycleChannels()` into an agent's `Annotation.Root({...})` and add the agent's own keys.
 */
import { Annotation } from "@langchain/langgraph";

export const last = <T>(fallback: () => T) => Annotation<T>({ reducer: (_a, b) => b, default: fallback });

export function cycleChannels() {
  return {
    /** Cycles this invocation runs before it ends (input). @defaultValue 1 */
    maxCycles: last<number>(() => 1),
    /** Cycles completed on this thread, ever. */
    cycle: last<number>(() => 0),
    /** `cycle` when this invocation began. */
    runStartCycle: last<number>(() => 0),
    /** The process run (input); a new one makes `init` register the agent again. */
    sessionId: last<string>(() => ""),
    registeredSession: last<string>(() => ""),
    cycleStartedAt: last<number>(() => 0),
  };
}

/** The fields of `cycleChannels()` as plain values. */
export interface CycleFields {
  maxCycles: number;
  cycle: number;
  runStartCycle: number;
  sessionId: string;
  registeredSession: string;
  cycleStartedAt: number;
}

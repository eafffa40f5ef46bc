/** PerformanceMonitorAgent graph state: the shared cycle channels, the current sample, and the thresholds now crossed. */
import { Annotation } from "@langchain/langgraph";
import type { PerfSample } from "../../storage/index.js";
import type { Alerts } from "./evaluate.js";
import { cycleChannels, last } from "../runtime/cycle-state.js";

export const PerfState = Annotation.Root({
  ...cycleChannels(),
  /** This cycle's sample set (fleet-wide and per agent). */
  samples: last<PerfSample[]>(() => []),
  sampledAt: last<number>(() => 0),
  /** When the previous sample was taken: errors and activations are counted since then. */
  lastSampleAt: last<number>(() => 0),
  /** Threshold alerts by `metric|agent`: pending, firing or resolving (see evaluate.ts). */
  alerts: last<Alerts>(() => ({})),
});

export type PerfStateType = typeof PerfState.State;
export type PerfUpdate = typeof PerfState.Update;

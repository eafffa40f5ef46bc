/** The intelligence layer: pure decisions from an agent's own history (no I/O, time passed in). */
export * from "./interval-stats.js";
export * from "./phi-detector.js";
export * from "./clock-jump.js";
export * from "./anomaly.js";
export * from "./trend.js";
export { phiOfZ, zForPhi } from "./normal-tail.js";
export * from "./agent-signals.js";

export { MONITOR_LEASE } from "../storage/index.js";
export { LeaderElector, type LeaderElectorOptions, type Role } from "./elector.js";

export { LeaderElector, MONITOR_LEASE, type LeaderElectorOptions, type Role } from "./elector.js";

/**
 * The composition root: puts the supervisor, the dashboard and the signal handling together into
 * the long-running processes (`npm start`/`bg-agents start`, `bg-agents dashboard`). Nothing
 * below imports it; only the CLI and the entry files sit on top.
 */
export { runSupervisor, type RunSupervisorOptions } from "./run-supervisor.js";
export { runDashboard, type RunDashboardOptions } from "./run-dashboard.js";

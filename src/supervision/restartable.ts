/**
 * The one rule for restart requests, for `bg-agents restart` and `POST /api/agents/:name/restart`:
 * only the running supervisor serves them, and only for the agents it runs. Checked before
 * anything is written, so a refused request leaves the database as it was.
 */
import { AgentNotSupervisedError, NoSupervisorError, type AgentWhereabouts } from "./errors.js";
import type { Supervision } from "./supervision.js";

/**
 * The agents to restart: `named`, or every agent the supervisor runs when none is named. Throws
 * NoSupervisorError when no supervisor runs, AgentNotSupervisedError naming every named agent it does not run.
 */
export function assertRestartable(sup: Supervision, named: readonly AgentWhereabouts[]): string[] {
  if (!sup.running) throw new NoSupervisorError(named.map((a) => a.name));
  const supervised = new Set(sup.agents);
  const foreign = named.filter((a) => !supervised.has(a.name));
  if (foreign.length) throw new AgentNotSupervisedError(foreign, sup.pid, sup.agents);
  return named.length ? named.map((a) => a.name) : [...sup.agents];
}

/**
 * The one rule for restart requests, for `bg-agents restart` and `POST /api/agents/:name/restart`:
 * only a running supervisor serves them, and only for the agents it runs. On PostgreSQL that is
 * the supervisor of the agent's host (one per host): the request goes into the database and only
 * that supervisor takes it. Checked before anything is written, so a refused request leaves the
 * database as it was.
 */
import { AgentNotSupervisedError, NoSupervisorError, SupervisorGoneError, type AgentWhereabouts } from "./errors.js";
import { supervisedAgents, type Supervision } from "./supervision.js";

/**
 * The agents to restart: `named`, or every agent a running supervisor runs when none is named.
 * Throws SupervisorGoneError when a named agent's host supervisor is gone (PostgreSQL),
 * NoSupervisorError when no supervisor runs, AgentNotSupervisedError naming every named agent none runs.
 */
export function assertRestartable(sups: Supervision | readonly Supervision[], named: readonly AgentWhereabouts[], now = Date.now()): string[] {
  const all = Array.isArray(sups) ? (sups as readonly Supervision[]) : [sups as Supervision];
  const running = all.filter((s) => s.running);
  const supervised = new Set(supervisedAgents(running));
  const unserved = named.filter((a) => !supervised.has(a.name));
  const gone = unserved.flatMap((a) => {
    const owner = all.find((s) => s.host !== undefined && !s.running && s.record?.agents.includes(a.name));
    return owner ? [{ name: a.name, host: owner.host!, pid: owner.pid, seenAt: owner.seenAt }] : [];
  });
  if (gone.length) throw new SupervisorGoneError(gone, now);
  if (!running.length) throw new NoSupervisorError(named.map((a) => a.name));
  if (unserved.length) throw new AgentNotSupervisedError(unserved, running.length === 1 ? running[0]!.pid : undefined, [...supervised]);
  return named.length ? named.map((a) => a.name) : [...supervised];
}

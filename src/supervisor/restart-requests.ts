/**
 * Restart requests from the API/CLI (`store.pendingRestarts()`), served on every tick: a running
 * agent is stopped and started again by its exit handler, one waiting for its backoff starts now.
 * Either way its budget starts over. A request for an agent this supervisor did not start is
 * ignored (on a database shared by hosts, that agent's own host serves it).
 */
import type { Logger } from "../logging/index.js";
import type { AgentSpec } from "./agent-specs.js";
import { stopAgent, type AgentChild } from "./child.js";
import type { RestartPolicy } from "./restart-policy.js";

export interface RestartRequests {
  pending: () => Promise<string[]>;
  specs: ReadonlyMap<string, AgentSpec>;
  children: ReadonlyMap<string, AgentChild>;
  /** Backoff timers of agents waiting to be started again. */
  timers: Map<string, NodeJS.Timeout>;
  policy: Pick<RestartPolicy, "reset">;
  gaveUp: Set<string>;
  /** Names already reported as not ours (warned once). */
  unservable: Set<string>;
  /** PostgreSQL: other hosts' supervisors serve their own agents, so a foreign name is no news. */
  sharedByHosts: boolean;
  log: Logger;
  stopGraceMs: number;
  start: (spec: AgentSpec) => void;
}

export async function serveRestartRequests(r: RestartRequests): Promise<void> {
  for (const name of await r.pending()) {
    const spec = r.specs.get(name);
    if (!spec) {
      if (!r.unservable.has(name) && !r.sharedByHosts) r.log.warn(`restart of ${name} requested, but this supervisor did not start it; ignoring`);
      r.unservable.add(name);
      continue;
    }
    const child = r.children.get(name);
    r.policy.reset(name);
    r.gaveUp.delete(name);
    if (child) {
      if (child.restartNow) continue; // already on its way
      child.restartNow = true;
      child.stopReason = "restart requested";
      r.log.info(`restart of ${name} requested: stopping pid ${child.pid}`);
      void stopAgent(child, r.stopGraceMs);
    } else {
      clearTimeout(r.timers.get(name));
      r.timers.delete(name);
      r.log.info(`restart of ${name} requested: starting it`);
      r.start(spec);
    }
  }
}

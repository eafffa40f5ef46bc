/**
 * The monitor's leadership: one LeaderElector per run of the HeartbeatHealthAgent, started by its
 * sidecar (or on first use, when the graph runs without one, e.g. under the LangGraph dev server).
 * Only the leader sweeps and notifies; a standby keeps heartbeating and checking.
 */
import { LeaderElector } from "../../leadership/index.js";
import type { LeaseFence } from "../../storage/index.js";
import type { AgentContext } from "../context.js";

const electors = new WeakMap<AgentContext, LeaderElector>();

export function monitorLeadership(ctx: AgentContext): LeaderElector {
  let e = electors.get(ctx);
  if (!e) {
    e = new LeaderElector({ store: ctx.store, ttlMs: ctx.config.leaderLeaseMs, agent: ctx.agentName, host: ctx.config.hostName, clock: ctx.clock, logger: ctx.logger });
    electors.set(ctx, e);
    void e.start();
  }
  return e;
}

/**
 * The leader's fence for a write now, or undefined on a standby. A lease that lapsed since the last
 * renewal (a stalled process, a clock that moved) is asked for once more first.
 */
export async function leaderFence(ctx: AgentContext): Promise<LeaseFence | undefined> {
  const leadership = monitorLeadership(ctx);
  await leadership.ready();
  if (!leadership.isLeader()) await leadership.renew();
  return leadership.fence();
}

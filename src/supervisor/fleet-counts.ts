/** What the storm guard (guard.ts) judges: the fleet minus the monitor and the agents being restarted. */
import type { AgentRecord, AgentState, MonitorStore } from "../storage/index.js";
import { COUNTED_STATES, silentAfterMs, type FleetCounts } from "./guard.js";

export interface FleetCountInput {
  store: Pick<MonitorStore, "summary" | "findStaleAgents">;
  config: { staleThresholdMs: number; heartbeatIntervalMs: number };
  now: number;
  /** This supervisor's own agents' records. */
  own: ReadonlyMap<string, AgentRecord>;
  /** The name of this supervisor's monitor. */
  monitor: string;
  restarting: ReadonlySet<string>;
}

/** From two aggregate queries, not a read of every agent. */
export async function countFleet({ store, config, now, own, monitor, restarting }: FleetCountInput): Promise<FleetCounts> {
  const silentAfter = silentAfterMs(config.staleThresholdMs, config.heartbeatIntervalMs);
  const { byState } = await store.summary();
  const oldLive = (await store.findStaleAgents(silentAfter, 1)).count;
  const c: FleetCounts = { counted: COUNTED_STATES.reduce((n, s) => n + (byState[s as AgentState] ?? 0), 0), stale: byState.stale, silent: byState.stale + oldLive };
  for (const name of new Set([monitor, ...restarting])) {
    const a = own.get(name);
    if (!a || !COUNTED_STATES.includes(a.state)) continue;
    c.counted--;
    if (a.state === "stale") (c.stale--, c.silent--);
    else if (now - a.lastHeartbeat > silentAfter) c.silent--;
  }
  return c;
}

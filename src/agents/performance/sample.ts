/**
 * One performance sample of the fleet, as the seed's "Monitoring Data" lists: DB response time
 * (probe queries, p50/p95), DB and WAL size, heartbeat age distribution, and per agent CPU, RSS,
 * heartbeat write latency, event-loop lag, error rate and initializing → active time.
 */
import { statSync } from "node:fs";
import { nearestRank, PERF_METRICS as M, type PerfSample, type StateStore } from "../../storage/index.js";

const PROBES = 7;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[nearestRank(sorted.length, p)]!;
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Times a few read queries the dashboard and monitor really run. */
async function probeDb(store: StateStore): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < PROBES; i++) {
    const t0 = performance.now();
    await (i % 2 ? store.summary() : store.findStaleAgents(Number.MAX_SAFE_INTEGER, 1));
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/**
 * Fleet-wide metrics (live/stale counts, heartbeat-age percentiles, the fleet's error rate) cover
 * every agent; per-agent metrics cover the detail sample readFleet picks (at most
 * FLEET_DETAIL_LIMIT live agents: the CPU/RSS/error outliers, then the most recently active).
 */
export async function collectSample(store: StateStore, databasePath: string, now: number, since: number): Promise<PerfSample[]> {
  const probes = await probeDb(store);
  const fleet = await store.perf.readFleet(now, since);
  const t = fleet.totals;
  const round = (v: number) => +v.toFixed(3);
  const minutes = Math.max(1 / 60, (now - since) / 60_000);
  const out: PerfSample[] = [
    { metric: M.dbProbeP50, value: round(percentile(probes, 50)) },
    { metric: M.dbProbeP95, value: round(percentile(probes, 95)) },
    { metric: M.dbFileBytes, value: fileBytes(databasePath) },
    { metric: M.dbWalBytes, value: fileBytes(`${databasePath}-wal`) },
    { metric: M.heartbeatAgeP50, value: t.heartbeatAgeP50Ms },
    { metric: M.heartbeatAgeP95, value: t.heartbeatAgeP95Ms },
    { metric: M.heartbeatAgeMax, value: t.heartbeatAgeMaxMs },
    { metric: M.agentsLive, value: t.live },
    { metric: M.agentsStale, value: t.stale },
    { metric: M.agentsErrorsPerMin, value: round(t.errors / minutes) },
    { metric: M.agentsSampled, value: fleet.agents.length },
  ];
  for (const a of fleet.agents) {
    if (a.cpuPercent !== null) out.push({ metric: M.agentCpu, agent: a.name, value: a.cpuPercent });
    if (a.rssBytes !== null) out.push({ metric: M.agentRss, agent: a.name, value: a.rssBytes });
    if (a.heartbeatLatencyMs !== null) out.push({ metric: M.agentHeartbeatLatency, agent: a.name, value: a.heartbeatLatencyMs });
    if (a.eventLoopLagMs !== null) out.push({ metric: M.agentLoopLag, agent: a.name, value: a.eventLoopLagMs });
    if (a.heartbeatGapMs !== null) out.push({ metric: M.agentHeartbeatGap, agent: a.name, value: +a.heartbeatGapMs.toFixed(3) });
    out.push({ metric: M.agentErrorsPerMin, agent: a.name, value: round((fleet.errorsByAgent[a.name] ?? 0) / minutes) });
  }
  for (const x of fleet.activations) out.push({ metric: M.agentActivation, agent: x.agent, value: x.ms });
  return out;
}

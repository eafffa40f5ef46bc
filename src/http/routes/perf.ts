/**
 * `GET /api/perf`: the performance panel's data: the server's own samples (DB read and lock latency,
 * DB/WAL size, fleet RSS/CPU), the ten heaviest agents, and, when the fleet's perf store
 * (PerformanceMonitorAgent) has data, its fleet-wide series. Any part may be empty.
 */
import { PERF_METRICS } from "../../storage/perf-types.js";
import type { StateStore } from "../../storage/index.js";
import type { RoutePlugin } from "../context.js";

const FLEET_SERIES = {
  dbProbeP50: PERF_METRICS.dbProbeP50,
  dbProbeP95: PERF_METRICS.dbProbeP95,
  dbFileBytes: PERF_METRICS.dbFileBytes,
  dbWalBytes: PERF_METRICS.dbWalBytes,
  heartbeatAgeP95: PERF_METRICS.heartbeatAgeP95,
} as const;

type Series = Record<keyof typeof FLEET_SERIES, Array<[number, number]>>;

/** Reads fleet-wide series from store.perf; a store without it (or failing) gives null. */
async function fleetSeries(store: StateStore, since: number): Promise<Series | null> {
  const perf = (store as Partial<Pick<StateStore, "perf">>).perf;
  if (!perf || typeof perf.recent !== "function") return null;
  try {
    const out = {} as Series;
    for (const [key, metric] of Object.entries(FLEET_SERIES) as Array<[keyof Series, string]>) {
      out[key] = (await perf.recent({ metric, agent: "", since, limit: 720 })).map((p) => [p.at, p.value]);
    }
    return out;
  } catch {
    return null;
  }
}

export const perfRoutes: RoutePlugin = (app, ctx) => {
  app.get("/api/perf", async () => {
    const agents = await ctx.store.getRegisteredAgents();
    const top = agents
      .filter((a) => a.rssBytes !== null && a.state !== "stopped" && a.state !== "failed")
      .sort((a, b) => (b.rssBytes ?? 0) - (a.rssBytes ?? 0))
      .slice(0, 10)
      .map((a) => ({ name: a.name, rssBytes: a.rssBytes, cpuPercent: a.cpuPercent }));
    const since = ctx.clock.now() - 3_600_000;
    return { samples: ctx.perf.recent(), top, fleet: await fleetSeries(ctx.store, since) };
  });
};

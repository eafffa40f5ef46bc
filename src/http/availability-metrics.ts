/**
 * Availability in /metrics: uptime ratio per agent and window, MTTR and the last outage's length.
 * One read of the store per scrape serves all three gauges.
 */
import type client from "prom-client";
import type { Clock } from "../clock/index.js";
import type { StateStore } from "../storage/index.js";
import { readAvailability, type AvailabilityView } from "../views/fleet-availability.js";

export function registerAvailabilityMetrics(prom: typeof client, registry: client.Registry, store: StateStore, clock: Clock): void {
  let cached: { at: number; figures: Promise<Map<string, AvailabilityView>> } | undefined;
  const figures = () => {
    const now = clock.now();
    // the gauges of one scrape are collected together: read once for them
    if (!cached || now - cached.at > 1000) cached = { at: now, figures: store.getRegisteredAgents().then((agents) => readAvailability(store, agents, now)) };
    return cached.figures;
  };
  new prom.Gauge({
    name: "bg_agents_uptime_ratio", help: "Share of monitored time an agent was active (silenced time and the monitor's outages left out), by window", labelNames: ["agent", "window"], registers: [registry],
    async collect() {
      this.reset();
      for (const [agent, a] of await figures()) for (const w of a.windows) if (w.uptimePercent !== null) this.set({ agent, window: w.window }, w.uptimePercent / 100);
    },
  });
  new prom.Gauge({
    name: "bg_agents_mttr_seconds", help: "Mean time to recovery over 30 days: the mean length of the outages that ended then", labelNames: ["agent"], registers: [registry],
    async collect() {
      this.reset();
      for (const [agent, a] of await figures()) if (a.mttrMs !== null) this.set({ agent }, a.mttrMs / 1000);
    },
  });
  new prom.Gauge({
    name: "bg_agents_last_outage_seconds", help: "Length of an agent's last outage in the last 30 days (growing while it lasts); ongoing=\"true\" while it lasts", labelNames: ["agent", "ongoing"], registers: [registry],
    async collect() {
      this.reset();
      for (const [agent, a] of await figures()) if (a.lastOutage) this.set({ agent, ongoing: String(a.lastOutage.end === null) }, a.lastOutage.durationMs / 1000);
    },
  });
}

/**
 * Prometheus metrics (prom-client, one registry per server): agents by state, heartbeat age per
 * agent, monitor checks, state transitions, DB read and lock latency, DB/WAL size, HTTP requests,
 * and the server process's own default metrics. Values are read from the store at scrape time.
 */
import client from "prom-client";
import { AGENT_STATES, isLiveState, type StateStore } from "../storage/index.js";
import type { Clock } from "../clock/index.js";
import { LOOP_DELAY_RESOLUTION_MS } from "../agents/process-info.js";
import type { PerfSample } from "./perf-sampler.js";
import { registerAvailabilityMetrics } from "./availability-metrics.js";
import { toSuspicionView, type SuspicionOptions } from "../views/suspicion.js";

export interface HttpMetrics {
  registry: client.Registry;
  observeSample(s: PerfSample): void;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

export function createMetrics(store: StateStore, clock: Clock, monitorName: string, lateAfterMs = Infinity, detection?: SuspicionOptions): HttpMetrics {
  const registry = new client.Registry();
  // prom-client's event-loop-lag histogram samples every 10 ms by default: 100 wake-ups a second in
  // an idle server; it samples as often as the heartbeats' own (LOOP_DELAY_RESOLUTION_MS)
  client.collectDefaultMetrics({ register: registry, prefix: "bg_agents_server_", eventLoopMonitoringPrecision: LOOP_DELAY_RESOLUTION_MS });
  omitEmptyLagStats(registry, "bg_agents_server_");
  let lastSample: PerfSample | undefined;

  new client.Gauge({
    name: "bg_agents_agents", help: "Registered agents by lifecycle state", labelNames: ["state"], registers: [registry],
    async collect() {
      const s = await store.summary();
      for (const state of AGENT_STATES) this.set({ state }, s.byState[state]);
    },
  });
  new client.Gauge({
    name: "bg_agents_heartbeat_age_seconds", help: "Seconds since each agent's last heartbeat; late=\"true\" for a live agent past LATE_AFTER", labelNames: ["agent", "state", "late"], registers: [registry],
    async collect() {
      this.reset();
      const now = clock.now();
      for (const a of await store.getRegisteredAgents()) {
        const age = Math.max(0, now - a.lastHeartbeat);
        this.set({ agent: a.name, state: a.state, late: String(isLiveState(a.state) && age > lateAfterMs) }, age / 1000);
      }
    },
  });
  if (detection) new client.Gauge({
    name: "bg_agents_suspicion_phi", help: "Adaptive detection: how suspicious each live agent's silence is (phi; stale past PHI_THRESHOLD and its floor)", labelNames: ["agent"], registers: [registry],
    async collect() {
      this.reset();
      const now = clock.now();
      for (const a of await store.getRegisteredAgents()) if (isLiveState(a.state)) this.set({ agent: a.name }, toSuspicionView(a, now, detection).phi);
    },
  });
  new client.Gauge({
    name: "bg_agents_anomaly", help: "1 for each signal of a live agent that is anomalous now (far above its own usual level for several samples; docs/detection.md)", labelNames: ["agent", "signal"], registers: [registry],
    async collect() {
      this.reset();
      const open = await store.signals.withOpenAnomalies();
      if (open.length === 0) return;
      const live = new Set((await store.getRegisteredAgents()).filter((a) => isLiveState(a.state)).map((a) => a.name));
      for (const r of open) if (live.has(r.agent)) for (const signal of Object.keys(r.open)) this.set({ agent: r.agent, signal }, 1);
    },
  });
  new client.Counter({
    name: "bg_agents_checks_total", help: "Health-check cycles completed by the HeartbeatHealthAgent (its heartbeats)", registers: [registry],
    async collect() {
      this.reset();
      this.inc((await store.getAgent(monitorName))?.heartbeats ?? 0);
    },
  });
  registerAvailabilityMetrics(client, registry, store, clock);
  const counts = new Map<string, number>();
  // the starting point: transitions already in the store are history, not this server's count
  let lastId: Promise<number> | number = store.countTransitions(0).then((c) => c.lastId, () => 0);
  new client.Counter({
    name: "bg_agents_transitions_total", help: "State transitions recorded since this server started, by target state", labelNames: ["to"], registers: [registry],
    async collect() {
      // incremental: only transitions newer than the last scrape are counted
      const c = await store.countTransitions(await lastId);
      for (const [state, n] of Object.entries(c.byTarget)) counts.set(state, (counts.get(state) ?? 0) + n);
      lastId = c.lastId;
      this.reset();
      for (const state of AGENT_STATES) this.inc({ to: state }, counts.get(state) ?? 0);
    },
  });
  new client.Counter({
    name: "bg_agents_notifications_total", help: "Notification messages by channel and result (delivered, dropped after a refusal, failed attempts)", labelNames: ["channel", "result"], registers: [registry],
    async collect() {
      this.reset();
      for (const c of await store.notify.deliveryCounts()) {
        this.inc({ channel: c.channel, result: "delivered" }, c.delivered);
        this.inc({ channel: c.channel, result: "dropped" }, c.dropped);
        this.inc({ channel: c.channel, result: "failed_attempt" }, c.failedAttempts);
      }
    },
  });
  new client.Gauge({
    name: "bg_agents_notifications_backlog", help: "Notification messages waiting to be sent, by channel", labelNames: ["channel"], registers: [registry],
    async collect() {
      this.reset();
      for (const [channel, n] of Object.entries(await store.notify.backlog())) this.set({ channel }, n);
    },
  });
  const dbLatency = new client.Histogram({
    name: "bg_agents_db_read_seconds", help: "Time to read the fleet's totals and the tracked agents from the state DB (sampled)", registers: [registry],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  });
  const lockLatency = new client.Histogram({
    name: "bg_agents_lock_wait_seconds", help: "Time to take and release the state lock (sampled)", registers: [registry],
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  });
  new client.Gauge({
    name: "bg_agents_db_file_bytes", help: "Size of the state DB and its WAL", labelNames: ["file"], registers: [registry],
    collect() {
      if (lastSample?.dbBytes != null) this.set({ file: "db" }, lastSample.dbBytes);
      if (lastSample?.walBytes != null) this.set({ file: "wal" }, lastSample.walBytes);
    },
  });
  const requests = new client.Histogram<"method" | "route" | "status">({
    name: "bg_agents_http_request_seconds", help: "HTTP requests served by the dashboard/API", labelNames: ["method", "route", "status"], registers: [registry],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  });

  // one labelled child per method/route/status, so a request costs no label validation or hashing
  const requestSeries = new Map<string, client.Histogram.Internal<"method" | "route" | "status">>();
  return {
    registry,
    observeSample(s) {
      lastSample = s;
      dbLatency.observe(s.dbLatencyMs / 1000);
      lockLatency.observe(s.lockLatencyMs / 1000);
    },
    observeRequest(method, route, status, seconds) {
      const key = `${method} ${status} ${route}`;
      let series = requestSeries.get(key);
      if (!series) requestSeries.set(key, (series = requests.labels({ method, route, status: String(status) })));
      series.observe(seconds);
    },
  };
}

/**
 * Before the lag histogram's first sample (its first 100 ms) its mean and stddev are NaN, which
 * prom-client prints as `Nan`: such a sample is left out until there is one.
 */
function omitEmptyLagStats(registry: client.Registry, prefix: string): void {
  for (const { name } of registry.getMetricsAsArray()) {
    const metric = name.startsWith(`${prefix}nodejs_eventloop_lag_`) ? (registry.getSingleMetric(name) as client.Gauge | undefined) : undefined;
    if (!metric) continue;
    const get = metric.get.bind(metric);
    metric.get = async () => {
      const m = await get();
      return { ...m, values: m.values.filter((v) => !Number.isNaN(v.value)) };
    };
  }
}

/**
 * `GET /healthz` for an outside monitor watching the watcher: 200 while the HeartbeatHealthAgent is
 * in a live state with a heartbeat younger than STALE_THRESHOLD, else 503 with the reason
 * (`starting` during its start-up grace, see monitorHealth).
 */
import { SYSTEM_KEYS } from "../../storage/index.js";
import type { RoutePlugin } from "../context.js";
import { monitorHealth } from "../monitor-health.js";

export const healthRoutes: RoutePlugin = (app, ctx) => {
  app.get("/healthz", async (_req, reply) => {
    reply.header("cache-control", "no-store");
    let monitor;
    let system;
    try {
      monitor = await ctx.store.getAgent(ctx.monitorName);
      system = await ctx.store.fleet.getSystemState<{ startedAt?: unknown }>(SYSTEM_KEYS.system);
    } catch (e) {
      return reply.code(503).send({ status: "unhealthy", reason: `state database unreadable: ${(e as Error).message}` });
    }
    if (!monitor) return reply.code(503).send({ status: "unhealthy", reason: `${ctx.monitorName} is not registered: is the monitor running?` });
    const now = ctx.clock.now();
    const ageMs = Math.max(0, now - monitor.lastHeartbeat);
    const body = { monitor: monitor.name, state: monitor.state, lastHeartbeat: new Date(monitor.lastHeartbeat).toISOString(), lastHeartbeatAgeMs: ageMs, staleThresholdMs: ctx.config.staleThresholdMs };
    const systemStartedAt = typeof system?.startedAt === "number" ? system.startedAt : undefined;
    const health = monitorHealth({ monitor, now, staleThresholdMs: ctx.config.staleThresholdMs, systemStartedAt });
    if (health.status === "ok") return { status: "ok", ...body };
    return reply.code(503).send({ status: health.status, reason: health.reason, ...body });
  });
};

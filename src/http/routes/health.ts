/**
 * `GET /healthz` for an outside monitor watching the watcher: 200 while the HeartbeatHealthAgent is
 * in a live state with a heartbeat younger than STALE_THRESHOLD, else 503 with the reason.
 */
import { LIVE_STATES } from "../../storage/index.js";
import type { RoutePlugin } from "../context.js";

export const healthRoutes: RoutePlugin = (app, ctx) => {
  app.get("/healthz", async (_req, reply) => {
    reply.header("cache-control", "no-store");
    let monitor;
    try {
      monitor = await ctx.store.getAgent(ctx.monitorName);
    } catch (e) {
      return reply.code(503).send({ status: "unhealthy", reason: `state database unreadable: ${(e as Error).message}` });
    }
    if (!monitor) return reply.code(503).send({ status: "unhealthy", reason: `${ctx.monitorName} is not registered: is the monitor running?` });
    const ageMs = Math.max(0, ctx.clock.now() - monitor.lastHeartbeat);
    const body = { monitor: monitor.name, state: monitor.state, lastHeartbeat: new Date(monitor.lastHeartbeat).toISOString(), lastHeartbeatAgeMs: ageMs, staleThresholdMs: ctx.config.staleThresholdMs };
    if (!LIVE_STATES.includes(monitor.state)) return reply.code(503).send({ status: "unhealthy", reason: `${monitor.name} is ${monitor.state}`, ...body });
    if (ageMs > ctx.config.staleThresholdMs) return reply.code(503).send({ status: "unhealthy", reason: `${monitor.name} has not heartbeaten for ${(ageMs / 1000).toFixed(1)}s`, ...body });
    return { status: "ok", ...body };
  });
};

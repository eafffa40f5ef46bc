/**
 * `GET /healthz` for an outside monitor watching the watcher: 200 while the HeartbeatHealthAgent is
 * in a live state with a heartbeat younger than STALE_THRESHOLD, else 503 with the reason
 * (`starting` during its start-up grace, see monitorHealth). With several monitors (PostgreSQL),
 * the body names them with their roles, and a healthy leader elsewhere keeps it 200 when the named
 * monitor is down.
 */
import { MONITOR_LEASE, SYSTEM_KEYS, type LeaseMember } from "../../storage/index.js";
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
    const members = await ctx.store.leaseMembers(MONITOR_LEASE, 3 * ctx.config.leaderLeaseMs).catch((): LeaseMember[] => []);
    const monitors = members.map((m) => ({ agent: m.agent, host: m.host, pid: m.pid, role: m.role }));
    const role = members.find((m) => m.agent === monitor.name)?.role ?? null;
    const full = { ...body, role, monitors };
    if (health.status === "ok") return { status: "ok", ...full };
    const leader = members.find((m) => m.role === "leader" && m.agent !== monitor.name);
    const leaderRecord = leader && (await ctx.store.getAgent(leader.agent).catch(() => undefined));
    if (leader && leaderRecord && monitorHealth({ monitor: leaderRecord, now, staleThresholdMs: ctx.config.staleThresholdMs }).status === "ok") {
      return { status: "ok", reason: `${health.reason}; ${leader.agent} on ${leader.host} leads and is healthy`, ...full };
    }
    return reply.code(503).send({ status: health.status, reason: health.reason, ...full });
  });
};

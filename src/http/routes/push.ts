/**
 * `POST /api/agents/:name/heartbeat`: push monitoring for agents in any language (like an Uptime
 * Kuma push monitor). Every body field is optional; an unknown name registers the agent. `status`
 * "error"/"down" records the error (with `message`) and moves the agent to `error`; "ok"/"up" brings
 * an initializing/error/recovering agent to `active`. The body is validated before anything is written.
 */
import { LIVE_NOT_ACTIVE_STATES } from "../../storage/index.js";
import type { RoutePlugin } from "../context.js";
import { parseOr400 } from "../errors.js";
import { heartbeatBody, nameParams, optionalBody } from "../schemas.js";

const body = optionalBody(heartbeatBody);

export const pushRoutes: RoutePlugin = (app, ctx) => {
  app.post("/api/agents/:name/heartbeat", { onRequest: ctx.requireToken }, async (req, reply) => {
    const { name } = parseOr400(nameParams, req.params, "agent name");
    const b = parseOr400(body, req.body, "body");
    await ctx.store.updateHeartbeat(name, {
      pid: b.pid, host: b.host, version: b.version, rssBytes: b.rssBytes,
      cpuPercent: b.cpuPercent, eventLoopLagMs: b.eventLoopLagMs, writeLatencyMs: b.latencyMs, activity: b.activity,
    });
    if (b.status === "error" || b.status === "down") {
      const message = b.message ?? `agent reported status "${b.status}"`;
      await ctx.store.recordError(name, message);
      await ctx.store.updateAgentState(name, "error", message.slice(0, 200));
    } else if (b.status === "ok" || b.status === "up") {
      const current = await ctx.store.getAgent(name);
      if (current && LIVE_NOT_ACTIVE_STATES.includes(current.state)) {
        await ctx.store.updateAgentState(name, "active", b.message?.slice(0, 200) ?? "push: ok");
      }
    }
    ctx.live.nudge();
    const agent = await ctx.store.getAgent(name);
    return reply.code(202).send({ ok: true, name, state: agent?.state ?? null });
  });
};

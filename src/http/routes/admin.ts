/**
 * State-changing admin routes (token-protected like every POST): `POST /api/agents/:name/restart`
 * asks the supervisor to restart the agent; `POST /api/cleanup-stale` deletes stale/stopped/failed
 * records (optionally only those silent for `olderThanSeconds`, or just lists them with `dryRun`).
 * Only the running supervisor serves restart requests, and only for the agents it runs: any other
 * request is refused (assertRestartable; 409 from the error handler, nothing written). On
 * PostgreSQL the supervisor of the agent's host serves it, and a gone one is refused the same way.
 * Clean-up keeps the records of the agents a running supervisor runs.
 */
import { z } from "zod";
import { AgentNotFoundError } from "../../errors/index.js";
import { assertRestartable, readSupervisors, supervisedAgents } from "../../supervision/index.js";
import type { RoutePlugin } from "../context.js";
import { parseOr400 } from "../errors.js";
import { cleanupBody, nameParams, optionalBody } from "../schemas.js";

const emptyBody = optionalBody(z.strictObject({}));
const cleanup = optionalBody(cleanupBody);

export const adminRoutes: RoutePlugin = (app, ctx) => {
  app.post("/api/agents/:name/restart", { onRequest: ctx.requireToken }, async (req, reply) => {
    const { name } = parseOr400(nameParams, req.params, "agent name");
    parseOr400(emptyBody, req.body, "body");
    const agent = await ctx.store.getAgent(name);
    if (!agent) throw new AgentNotFoundError(name);
    assertRestartable(await readSupervisors(ctx.store, ctx.config), [agent], ctx.clock.now());
    await ctx.store.requestRestart(name);
    ctx.logger.info(`restart requested for ${JSON.stringify(name)} from ${req.ip}`);
    ctx.live.nudge();
    return reply.code(202).send({ ok: true, name, message: "Restart requested; the supervisor (bg-agents start) carries it out." });
  });

  app.post("/api/cleanup-stale", { onRequest: ctx.requireToken }, async (req) => {
    const b = parseOr400(cleanup, req.body, "body");
    const olderThanMs = b.olderThanSeconds === undefined ? undefined : b.olderThanSeconds * 1000;
    const sups = (await readSupervisors(ctx.store, ctx.config)).filter((s) => s.running);
    const reasonFor = (name: string) => {
      const s = sups.find((x) => x.agents.includes(name));
      return `supervised: the running supervisor (pid ${s?.pid ?? "?"}${s?.host ? ` on ${s.host}` : ""}) runs it`;
    };
    const result = await ctx.store.cleanupStale({ olderThanMs, dryRun: b.dryRun, keep: supervisedAgents(sups) });
    const removed = result.removed;
    const kept = result.kept.map((n) => ({ name: n, reason: reasonFor(n) }));
    if (!b.dryRun) ctx.logger.info(`cleaned up ${removed.length} stale record(s) from ${req.ip}${kept.length ? `; kept ${kept.length} supervised` : ""}`);
    ctx.live.nudge();
    return { ok: true, dryRun: b.dryRun ?? false, removed, kept };
  });
};

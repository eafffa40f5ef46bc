/**
 * State-changing admin routes (token-protected like every POST): `POST /api/agents/:name/restart`
 * asks the supervisor to restart the agent; `POST /api/cleanup-stale` deletes stale/stopped/failed
 * records (optionally only those silent for `olderThanSeconds`, or just lists them with `dryRun`).
 */
import type { RoutePlugin } from "../context.js";
import { parseOr400 } from "../errors.js";
import { cleanupBody, nameParams, optionalBody } from "../schemas.js";
import { z } from "zod";

const emptyBody = optionalBody(z.strictObject({}));
const cleanup = optionalBody(cleanupBody);

export const adminRoutes: RoutePlugin = (app, ctx) => {
  app.post("/api/agents/:name/restart", { onRequest: ctx.requireToken }, async (req, reply) => {
    const { name } = parseOr400(nameParams, req.params, "agent name");
    parseOr400(emptyBody, req.body, "body");
    await ctx.store.requestRestart(name);
    ctx.logger.info(`restart requested for ${JSON.stringify(name)} from ${req.ip}`);
    ctx.live.nudge();
    return reply.code(202).send({ ok: true, name, message: "Restart requested; the supervisor (bg-agents start) carries it out." });
  });

  app.post("/api/cleanup-stale", { onRequest: ctx.requireToken }, async (req) => {
    const b = parseOr400(cleanup, req.body, "body");
    const removed = await ctx.store.cleanupStale({
      olderThanMs: b.olderThanSeconds === undefined ? undefined : b.olderThanSeconds * 1000,
      dryRun: b.dryRun,
    });
    if (!b.dryRun) ctx.logger.info(`cleaned up ${removed.length} stale record(s) from ${req.ip}`);
    ctx.live.nudge();
    return { ok: true, dryRun: b.dryRun ?? false, removed };
  });
};

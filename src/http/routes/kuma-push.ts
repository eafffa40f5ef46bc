/**
 * Uptime Kuma-compatible push (docs/ping-protocols.md): any method on
 * `/api/push/<token>?status=up&msg=OK&ping=<ms>`, where PUSH_TOKENS maps the token to an agent
 * name (registered on its first push). `status` other than "up" is down: recorded as a failure.
 * Answers `{ "ok": true }`, or `{ "ok": false, "msg" }` with 404 for an unknown token, 400 for bad
 * parameters, 429 when rate-limited; nothing is written for a refused request.
 */
import { createHash } from "node:crypto";
import type { FastifyReply } from "fastify";
import type { RoutePlugin } from "../context.js";
import { applyPing } from "../ping/apply-ping.js";
import { kumaQuery } from "../ping/schemas.js";
import { rawBodyScope, withinRateLimit } from "../ping/scope.js";
import { describeIssue } from "../schemas.js";

const hash = (s: string) => createHash("sha256").update(s).digest("hex");
const refuse = (reply: FastifyReply, status: number, msg: string) => reply.code(status).send({ ok: false, msg });

export const kumaPushRoutes: RoutePlugin = (app, ctx) => {
  // looked up by digest, so the lookup time does not depend on how much of a guessed token is right
  const agents = new Map(Object.entries(ctx.config.pushTokens ?? {}).map(([token, agent]) => [hash(token), agent]));
  rawBodyScope(app, (scope) => {
    scope.route({
      method: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], url: "/api/push/:token", exposeHeadRoute: false,
      handler: async (req, reply) => {
        if (!withinRateLimit(ctx, req, reply, (r) => r.send({ ok: false, msg: "Too many pushes; try again later." }))) return reply;
        const name = agents.get(hash(String((req.params as { token?: string }).token ?? "")));
        if (!name) return refuse(reply, 404, "Monitor not found or not active.");
        const q = kumaQuery.safeParse(req.query);
        if (!q.success) return refuse(reply, 400, describeIssue(q.error, "query"));
        const up = (q.data.status ?? "up") === "up";
        await applyPing(ctx.store, {
          name, kind: up ? "success" : "fail", message: q.data.msg || undefined,
          latencyMs: typeof q.data.ping === "number" ? q.data.ping : undefined, create: true, via: "push",
        });
        ctx.live.nudge();
        return reply.send({ ok: true });
      },
    });
  });
};

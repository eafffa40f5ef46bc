/**
 * healthchecks.io-compatible pings (docs/ping-protocols.md): `/ping/<PING_KEY>/<name>` success,
 * `/start`, `/fail`, `/log`, `/<0-255>` (0 success, else fail); HEAD, GET and POST; the body (first
 * 10,000 bytes) is kept as the last message; `?rid=` pairs a start with its end (duration);
 * `?create=1` registers a new name (201), else an unknown name is 404. Without PING_KEY (loopback
 * only: start-up refuses otherwise) the form is `/ping/<name>/...`. `GET /api/agents/:name/pings`
 * lists an agent's pings with their durations.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { PingKind } from "../../storage/index.js";
import { AgentNotFoundError } from "../../errors/index.js";
import type { RoutePlugin, ServerContext } from "../context.js";
import { parseOr400 } from "../errors.js";
import { applyPing } from "../ping/apply-ping.js";
import { bodyMessage, PING_BODY_LIMIT } from "../ping/body.js";
import { secretMatcher } from "../ping/ping-key.js";
import { hcAction, hcParams, hcQuery, pingsQuery } from "../ping/schemas.js";
import { rawBodyScope, withinRateLimit } from "../ping/scope.js";
import { describeIssue, nameParams } from "../schemas.js";

const text = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).type("text/plain; charset=utf-8").header("ping-body-limit", String(PING_BODY_LIMIT)).send(body);

function kindOf(action: string | undefined): { kind: PingKind; exitStatus?: number } | { error: string } {
  if (action === undefined) return { kind: "success" };
  const r = hcAction.safeParse(action);
  if (!r.success) return { error: describeIssue(r.error, "action") };
  if (typeof r.data === "number") return { kind: r.data === 0 ? "success" : "fail", exitStatus: r.data };
  return { kind: r.data };
}

async function handlePing(ctx: ServerContext, keyMatches: ((k: string) => boolean) | undefined, req: FastifyRequest, reply: FastifyReply) {
  if (!withinRateLimit(ctx, req, reply, (r) => text(r, 429, "rate limited"))) return reply;
  const params = hcParams.safeParse(req.params);
  if (params.success && keyMatches && !keyMatches(params.data.key ?? "")) return text(reply, 404, "not found");
  if (!params.success) return text(reply, 400, describeIssue(params.error, "agent name"));
  const query = hcQuery.safeParse(req.query);
  if (!query.success) return text(reply, 400, describeIssue(query.error, "query"));
  const what = kindOf(params.data.action);
  if ("error" in what) return text(reply, 400, what.error);
  const outcome = await applyPing(ctx.store, {
    name: params.data.name, ...what, rid: query.data.rid, message: bodyMessage(req.body),
    create: query.data.create === "1", via: "ping",
  });
  if (!outcome.found) return text(reply, 404, "not found");
  ctx.live.nudge();
  return outcome.created ? text(reply, 201, "Created") : text(reply, 200, "OK");
}

export const pingRoutes: RoutePlugin = (app, ctx) => {
  const keyMatches = ctx.config.pingKey ? secretMatcher(ctx.config.pingKey) : undefined;
  const prefix = keyMatches ? "/ping/:key/:name" : "/ping/:name";
  rawBodyScope(app, (scope) => {
    for (const url of [prefix, `${prefix}/:action`]) {
      scope.route({ method: ["GET", "HEAD", "POST"], url, exposeHeadRoute: false, handler: (req, reply) => handlePing(ctx, keyMatches, req, reply) });
    }
  });

  app.get("/api/agents/:name/pings", async (req) => {
    const { name } = parseOr400(nameParams, req.params, "agent name");
    const { limit } = parseOr400(pingsQuery, req.query, "query");
    if (!(await ctx.store.getAgent(name))) throw new AgentNotFoundError(name);
    const pings = await ctx.store.getPings(name, limit ?? 20);
    return { pings: pings.map((p) => ({ ...p, at: new Date(p.at).toISOString() })) };
  });
};

/**
 * What both ping protocols share: a plugin scope that takes any body as raw bytes (cron scripts
 * send text/plain or form-encoded output, not JSON), and one rate limiter per server, keyed by
 * client address, that answers before anything is read or written.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { ServerContext } from "../context.js";
import { PING_BODY_MAX } from "./body.js";
import { FixedWindowLimiter } from "./rate-limit.js";

const limiters = new WeakMap<ServerContext, FixedWindowLimiter>();

function limiterOf(ctx: ServerContext): FixedWindowLimiter {
  let l = limiters.get(ctx);
  if (!l) limiters.set(ctx, (l = new FixedWindowLimiter(ctx.config.pingRateLimit ?? 120, 60_000, ctx.clock)));
  return l;
}

/** Registers `routes` in a scope of their own whose bodies arrive as Buffers (up to PING_BODY_MAX bytes). */
export function rawBodyScope(app: FastifyInstance, routes: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: PING_BODY_MAX }, (_req, body, done) => done(null, body));
    routes(scope);
  });
}

/** True when the request may go on; otherwise answers 429 (with Retry-After) through `refuse`. */
export function withinRateLimit(ctx: ServerContext, req: FastifyRequest, reply: FastifyReply, refuse: (reply: FastifyReply) => unknown): boolean {
  const v = limiterOf(ctx).take(req.ip);
  if (v.ok) return true;
  reply.code(429).header("retry-after", String(v.retryAfterS));
  refuse(reply);
  return false;
}

/**
 * The server's safety rules: it binds loopback unless an API_TOKEN is set; state-changing routes
 * need `Authorization: Bearer <API_TOKEN>` whenever a token is configured (always off loopback);
 * cross-site POSTs (Origin ≠ Host) and, on loopback, foreign Host headers (DNS rebinding) are refused.
 */
import { timingSafeEqual, createHash } from "node:crypto";
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import { ConfigError } from "../errors/index.js";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]", "::ffff:127.0.0.1"]);

/** True for addresses only this machine can reach. Unknown host names count as reachable from outside. */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return LOOPBACK_NAMES.has(h) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Throws a ConfigError when the server would be reachable from other hosts without a token. */
export function assertSafeBind(host: string, apiToken: string | undefined): void {
  if (!isLoopbackHost(host) && !apiToken) {
    throw new ConfigError(
      "DASHBOARD_HOST",
      `Refusing to bind the dashboard/API to ${host} without API_TOKEN: other hosts could restart agents and push heartbeats. ` +
        `Set API_TOKEN (16+ characters) or bind DASHBOARD_HOST=127.0.0.1.`,
    );
  }
}

function digest(s: string): Buffer {
  return createHash("sha256").update(s).digest();
}

/** onRequest hook for state-changing routes. With no token configured (loopback only) it lets requests through. */
export function tokenHook(apiToken: string | undefined): onRequestHookHandler {
  const expected = apiToken === undefined ? undefined : digest(apiToken);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    if (!expected) return;
    const header = req.headers.authorization ?? "";
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m || !timingSafeEqual(digest(m[1]!.trim()), expected)) {
      reply.header("www-authenticate", 'Bearer realm="bg-agents"');
      return reply.code(401).send({
        error: "UNAUTHORIZED",
        message: "This route changes state and needs the header Authorization: Bearer <API_TOKEN>.",
      });
    }
  };
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(value.includes("://") ? value : `http://${value}`).hostname;
  } catch {
    return undefined;
  }
}

/** Global onRequest hook: refuses cross-origin writes and, when bound to loopback, foreign Host headers. */
export function originHook(boundToLoopback: boolean): onRequestHookHandler {
  return async (req, reply) => {
    if (boundToLoopback) {
      const host = hostOf(req.headers.host ?? "");
      if (host !== undefined && !isLoopbackHost(host)) {
        return reply.code(421).send({ error: "MISDIRECTED", message: `This server only answers to loopback host names, not "${host}".` });
      }
    }
    if (req.method !== "GET" && req.method !== "HEAD" && req.headers.origin) {
      const origin = req.headers.origin;
      let sameOrigin = false;
      try {
        sameOrigin = new URL(origin).host === req.headers.host;
      } catch {
        sameOrigin = false;
      }
      if (!sameOrigin) {
        return reply.code(403).send({ error: "CROSS_ORIGIN", message: `Cross-origin request from ${origin} refused.` });
      }
    }
  };
}

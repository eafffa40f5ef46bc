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

/** Whether an Authorization header carries the token. With no token configured (loopback only) every request does. */
export function tokenCheck(apiToken: string | undefined): (authorization: string | undefined) => boolean {
  if (apiToken === undefined) return () => true;
  const expected = digest(apiToken);
  return (authorization) => {
    const m = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
    return m !== null && timingSafeEqual(digest(m[1]!.trim()), expected);
  };
}

/** onRequest hook for state-changing routes. With no token configured (loopback only) it lets requests through. */
export function tokenHook(apiToken: string | undefined): onRequestHookHandler {
  if (apiToken === undefined) return (_req, _reply, done) => done();
  const carriesToken = tokenCheck(apiToken);
  return (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    if (!carriesToken(req.headers.authorization)) {
      reply.header("www-authenticate", 'Bearer realm="bg-agents"');
      reply.code(401).send({
        error: "UNAUTHORIZED",
        message: "This route changes state and needs the header Authorization: Bearer <API_TOKEN>.",
      });
      return; // answered: the chain stops here (no done())
    }
    done();
  };
}

function hostOf(value: string): string | undefined {
  try {
    return new URL(value.includes("://") ? value : `http://${value}`).hostname;
  } catch {
    return undefined;
  }
}

/** Host headers already judged: a client sends the same one on every request (bounded: cleared when full). */
const MAX_REMEMBERED_HOSTS = 256;

/**
 * The foreign host name a Host header names when the server is bound to loopback (DNS rebinding),
 * or null when it may be answered. A Host that does not parse counts as foreign; no Host at all
 * (an HTTP/1.0 client) does not. Bound elsewhere, every Host may be answered.
 */
export function foreignHostJudge(boundToLoopback: boolean): (hostHeader: string | undefined) => string | null {
  if (!boundToLoopback) return () => null;
  /** Host header → the foreign host name it names, or null when it is loopback. */
  const foreignHosts = new Map<string, string | null>();
  return (header = "") => {
    if (header === "") return null;
    let foreign = foreignHosts.get(header);
    if (foreign === undefined) {
      const host = hostOf(header);
      foreign = host === undefined ? header : isLoopbackHost(host) ? null : host;
      if (foreignHosts.size >= MAX_REMEMBERED_HOSTS) foreignHosts.clear();
      foreignHosts.set(header, foreign);
    }
    return foreign;
  };
}

/** Global onRequest hook: refuses cross-origin writes and, when bound to loopback, foreign Host headers. */
export function originHook(foreignHostIn: (hostHeader: string | undefined) => string | null): onRequestHookHandler {
  return (req, reply, done) => {
    const host = foreignHostIn(req.headers.host);
    if (host !== null) {
      reply.code(421).send({ error: "MISDIRECTED", message: `This server only answers to loopback host names, not "${host}".` });
      return; // answered: the chain stops here (no done())
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
        reply.code(403).send({ error: "CROSS_ORIGIN", message: `Cross-origin request from ${origin} refused.` });
        return;
      }
    }
    done();
  };
}

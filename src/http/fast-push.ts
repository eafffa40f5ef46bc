/**
 * The single push (`POST /api/agents/:name/heartbeat`) answered before fastify routes it. It is the
 * request a fleet sends most, and fastify's routing, hooks, body parsing and reply cost about as
 * much as the heartbeat's write (docs/performance.md). Only requests this path answers exactly as
 * the route would are taken: the same token and Host checks, the route's schemas and
 * `pushHeartbeat`, the error handler's answers. Anything else goes to fastify untouched, before its
 * body is read: another route or method, a query string, a percent-encoded or very long name,
 * another content type, no body or a chunked or too large one, an Origin header, a Host this
 * server refuses, a missing or wrong token, a server that is closing.
 * test/http/fast-push.int.test.ts sends the same requests both ways and compares the answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { errorCodes } from "fastify";
import secureJson from "secure-json-parse";
import { groupCommitOf } from "../storage/index.js";
import type { ServerContext } from "./context.js";
import { errorAnswer, parseOr400 } from "./errors.js";
import { pushBody, pushHeartbeat } from "./routes/push.js";
import { nameParams } from "./schemas.js";

/**
 * The route's path; the name as find-my-way would pass it: no percent-decoding to do, within
 * maxParamLength, and no `#` (find-my-way ends the path there, so fastify answers 404).
 */
const PUSH_PATH = /^\/api\/agents\/([^/?%#]{1,1024})\/heartbeat$/;
const ROUTE = "/api/agents/:name/heartbeat";
const JSON_TYPES = new Set(["application/json", "application/json; charset=utf-8"]);
/** fastify's defaults for its JSON parser (onProtoPoisoning, onConstructorPoisoning). */
const PARSE_OPTIONS = { protoAction: "error", constructorAction: "error" } as const;

export interface FastPushOptions {
  ctx: ServerContext;
  bodyLimit: number;
  /** The foreign host a Host header names, or null (safety.ts foreignHostJudge). */
  foreignHostIn(hostHeader: string | undefined): string | null;
  /** Whether an Authorization header carries the API token (safety.ts tokenCheck). */
  carriesToken(authorization: string | undefined): boolean;
  isClosing(): boolean;
}

export interface FastPush {
  /** Takes the request (and answers it) and returns true, or returns false having touched nothing. */
  take(req: IncomingMessage, res: ServerResponse): boolean;
  /** Requests taken so far (tests check that the path is taken). */
  taken(): number;
}

export function fastPush(o: FastPushOptions): FastPush {
  const heartbeats = groupCommitOf(o.ctx.store);
  const { logger, metrics } = o.ctx;

  const takes = (req: IncomingMessage): string | undefined => {
    if (req.method !== "POST" || o.isClosing()) return undefined;
    const h = req.headers;
    if (h.origin !== undefined || h["transfer-encoding"] !== undefined || !JSON_TYPES.has(h["content-type"] ?? "")) return undefined;
    const length = Number(h["content-length"]);
    if (!(length > 0 && length <= o.bodyLimit)) return undefined;
    if (o.foreignHostIn(h.host) !== null || !o.carriesToken(h.authorization)) return undefined;
    return PUSH_PATH.exec(req.url ?? "")?.[1];
  };

  const answer = (req: IncomingMessage, res: ServerResponse, started: number, status: number, body: unknown, more?: Record<string, string>): void => {
    const payload = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(payload), "x-content-type-options": "nosniff", ...more });
    res.end(payload);
    const ms = performance.now() - started;
    metrics.observeRequest("POST", ROUTE, status, ms / 1000);
    if (logger.isDebugEnabled()) logger.debug(`POST ${req.url} ${status} ${ms.toFixed(1)}ms`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, rawName: string, text: string, started: number): Promise<void> => {
    try {
      let parsed: unknown;
      try {
        parsed = secureJson.parse(text, undefined, PARSE_OPTIONS);
      } catch {
        // as fastify's body parser: the client may send more of a body that did not parse, so the connection closes
        const { status, body } = errorAnswer(new errorCodes.FST_ERR_CTP_INVALID_JSON_BODY(), "POST", req.url ?? "", logger, o.bodyLimit);
        return answer(req, res, started, status, body, { connection: "close" });
      }
      const { name } = parseOr400(nameParams, { name: rawName }, "agent name");
      const b = parseOr400(pushBody, parsed, "body");
      answer(req, res, started, 202, await pushHeartbeat(o.ctx, heartbeats, name, b));
    } catch (e) {
      const { status, body } = errorAnswer(e, "POST", req.url ?? "", logger, o.bodyLimit);
      answer(req, res, started, status, body);
    }
  };

  let taken = 0;
  return {
    take(req, res) {
      const rawName = takes(req);
      if (rawName === undefined) return false;
      const started = performance.now();
      taken++;
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.once("end", () => void handle(req, res, rawName, (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8"), started));
      return true;
    },
    taken: () => taken,
  };
}

/**
 * Turns every failure into a JSON answer `{ error, message }`: bad input 4xx (nothing was
 * written: validation runs before any store call), a restart nobody would serve 409, lock/DB
 * trouble 503, a LangGraph server that fails us 502, the rest 500.
 */
import type { FastifyError, FastifyInstance } from "fastify";
import type { z } from "zod";
import { isAgentNotFoundError, isDatabaseError, isLockTimeoutError, isValidationError, ValidationError } from "../errors/index.js";
import { isLangGraphWatchError } from "../langgraph-watch/index.js";
import type { Logger } from "../logging/index.js";
import { isAgentNotSupervisedError, isNoSupervisorError, isSupervisorGoneError } from "../supervision/index.js";
import { describeIssue } from "./schemas.js";

/** Parses `value` with `schema` or throws a ValidationError naming the bad field. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ValidationError(describeIssue(r.error, what));
  return r.data;
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "Request body too large",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "Unsupported Content-Type: send application/json",
  FST_ERR_CTP_EMPTY_JSON_BODY: "Content-Type is application/json but the body is empty: send {} or no Content-Type",
};

/** The LangGraph server said no such run (404), or the run is not in a state for this (409); else it failed us (502). */
const LANGGRAPH_STATUS: Record<string, number> = { LANGGRAPH_RUN_NOT_FOUND: 404, LANGGRAPH_RUN_STILL_ACTIVE: 409, LANGGRAPH_RUN_NOT_STUCK: 409 };

/** A failure's answer: status and JSON body. */
export interface ErrorAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** The answer to a failure of `method url` (what the error handler sends; the fast push path too). */
export function errorAnswer(e: unknown, method: string, url: string, logger: Logger, bodyLimit: number): ErrorAnswer {
  const err = e as FastifyError;
  if (isValidationError(e)) return { status: 400, body: { error: e.code, message: e.message } };
  if (isAgentNotFoundError(e)) return { status: 404, body: { error: e.code, message: err.message } };
  if (isNoSupervisorError(e)) return { status: 409, body: { error: e.code, name: e.names[0], message: e.message } };
  if (isAgentNotSupervisedError(e)) return { status: 409, body: { error: e.code, name: e.names[0], message: e.short } };
  if (isSupervisorGoneError(e)) return { status: 409, body: { error: e.code, name: e.names[0], message: e.short } };
  if (isLangGraphWatchError(e)) {
    const code = LANGGRAPH_STATUS[e.code] ?? 502;
    if (code >= 500) logger.warn(`${method} ${url}: ${e.message}`);
    return { status: code, body: { error: e.code, message: e.message, ...(e.runStatus ? { runStatus: e.runStatus } : {}) } };
  }
  if (isLockTimeoutError(e) || isDatabaseError(e)) {
    logger.warn(`${method} ${url}: ${err.message}`);
    return { status: 503, body: { error: (err as { code: string }).code, message: err.message } };
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    let message = FASTIFY_MESSAGES[err.code] ?? err.message;
    if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE") message += ` (limit ${bodyLimit} bytes)`;
    if (e instanceof SyntaxError || err.code === "FST_ERR_CTP_INVALID_JSON_BODY") message = `Malformed JSON body: ${err.message}`;
    return { status, body: { error: err.code ?? "BAD_REQUEST", message } };
  }
  logger.error(`${method} ${url} failed: ${err.stack ?? err.message}`);
  return { status: 500, body: { error: "INTERNAL", message: "Internal error; see the server log." } };
}

export function installErrorHandler(app: FastifyInstance, logger: Logger, bodyLimit: number): void {
  app.setErrorHandler((e: unknown, req, reply) => {
    const { status, body } = errorAnswer(e, req.method, req.url, logger, bodyLimit);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: "NOT_FOUND", message: `No route ${req.method} ${req.url.split("?")[0]}` }));
}

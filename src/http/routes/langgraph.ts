/**
 * The LangGraph server watcher (LANGGRAPH_API_URL) next to our agents: `GET /api/langgraph/runs`
 * (stuck runs, errored runs, busy threads, runs in progress; `{ enabled: false }` when no server is
 * watched) and `POST /api/langgraph/threads/:threadId/runs/:runId/cancel` (token-protected like
 * every state-changing route) with `{ "mode": "interrupt" }` (default: runs.cancel) or
 * `{ "mode": "delete" }` (a stuck run no worker holds: runs.delete).
 */
import { z } from "zod";
import { toLangGraphRunsView, WATCHER_OFF } from "../../langgraph-watch/index.js";
import type { RoutePlugin } from "../context.js";
import { parseOr400 } from "../errors.js";
import { optionalBody } from "../schemas.js";

const id = z.uuid({ message: "expected a UUID (LangGraph thread and run ids are UUIDs)" });
const runParams = z.strictObject({ threadId: id, runId: id });
const cancelBody = optionalBody(z.strictObject({ mode: z.enum(["interrupt", "delete"], { message: 'expected "interrupt" or "delete"' }).optional() }));

export const langgraphRoutes: RoutePlugin = (app, ctx) => {
  app.get("/api/langgraph/runs", async () => {
    if (!ctx.langgraph) return WATCHER_OFF;
    return toLangGraphRunsView(await ctx.langgraph.report());
  });

  app.post("/api/langgraph/threads/:threadId/runs/:runId/cancel", { onRequest: ctx.requireToken }, async (req, reply) => {
    const { threadId, runId } = parseOr400(runParams, req.params, "path");
    const body = parseOr400(cancelBody, req.body, "body");
    if (!ctx.langgraph) return reply.code(404).send({ error: "LANGGRAPH_OFF", message: WATCHER_OFF.note });
    const mode = body.mode ?? "interrupt";
    const result = await ctx.langgraph.cancel(threadId, runId, mode);
    ctx.logger.info(`LangGraph run ${runId} on thread ${threadId}: ${result.outcome} (${mode}) from ${req.ip}`);
    return { ok: true, ...result };
  });
};

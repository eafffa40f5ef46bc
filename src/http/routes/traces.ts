/**
 * `GET /api/traces`: the LangSmith run summaries the LangSmithBridgeAgent stored (newest first,
 * optional agent/status filter and limit) and the per-agent error rate and latency, for the
 * dashboard's traces panel (src/http/public/traces.js). Same data as `bg-agents traces --json`.
 */
import { z } from "zod";
import { RUN_STATUSES, type RunSummary, type TraceAgentStats } from "../../storage/index.js";
import { tracingSettings } from "../../tracing/index.js";
import type { RoutePlugin } from "../context.js";
import { parseOr400 } from "../errors.js";
import { agentName } from "../schemas.js";

const tracesQuery = z.strictObject({
  agent: agentName.optional(),
  status: z.enum(RUN_STATUSES, { message: `expected one of ${RUN_STATUSES.join(", ")}` }).optional(),
  limit: z.coerce.number().int("expected a whole number").min(1).max(500).optional(),
});

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export const tracesRoutes: RoutePlugin = (app, ctx) => {
  app.get("/api/traces", async (req) => {
    const q = parseOr400(tracesQuery, req.query, "query");
    const runs = await ctx.store.traces.queryRuns({ agent: q.agent, status: q.status, limit: q.limit ?? 50 });
    const stats = (await ctx.store.traces.getStats()).filter((s) => q.agent === undefined || s.agent === q.agent);
    const settings = tracingSettings();
    return {
      project: settings.project,
      /** Why there may be nothing to show (the bridge idles without an API key). */
      note: settings.apiKey ? null : "LANGSMITH_API_KEY is not set for this server; the LangSmithBridgeAgent stores runs only when it has one.",
      stats: stats.map((s: TraceAgentStats) => ({ ...s, lastRunAt: iso(s.lastRunAt), updatedAt: iso(s.updatedAt) })),
      runs: runs.map((r: RunSummary) => ({ ...r, startedAt: iso(r.startedAt), endedAt: iso(r.endedAt) })),
    };
  });
};

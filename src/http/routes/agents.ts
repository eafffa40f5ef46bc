/**
 * Read routes: `GET /api/agents` (AgentView objects, the same as `bg-agents status --json`; optional
 * state filter, name search, sort and paging with the total in `X-Total-Count`), `GET /api/agents/:name`
 * (view + transitions, errors, sampled history), `GET /api/agents/:name/logs`, `GET /api/summary`, `GET /api/monitors`.
 */
import { basename } from "node:path";
import { AgentNotFoundError } from "../../errors/index.js";
import { isLiveState, MONITOR_LEASE, stateVocabulary } from "../../storage/index.js";
import { toAgentView, toSummaryView } from "../../views/agent-view.js";
import { toSuspicionView } from "../../views/suspicion.js";
import { degradingLimits, readDegrading } from "../../views/degrading.js";
import { readAnomalies } from "../../views/anomalies.js";
import { queryAgents } from "../agent-query.js";
import type { RoutePlugin } from "../context.js";
import { parseOr400 } from "../errors.js";
import { tailAgentLog } from "../log-tail.js";
import { listQuery, logsQuery, nameParams } from "../schemas.js";

export const agentRoutes: RoutePlugin = (app, ctx) => {
  app.get("/api/agents", async (req, reply) => {
    const q = parseOr400(listQuery, req.query, "query");
    const { total, json } = await queryAgents(ctx.store, q, ctx.clock.now(), { lateAfterMs: ctx.config.lateAfterMs });
    reply.header("x-total-count", String(total)).type("application/json; charset=utf-8");
    return json;
  });

  app.get("/api/summary", async () => toSummaryView(await ctx.store.summary()));

  /** The monitors competing for the leader lease, leader first, with host and role (several on PostgreSQL). */
  app.get("/api/monitors", async () => ({
    monitors: (await ctx.store.leaseMembers(MONITOR_LEASE, 3 * ctx.config.leaderLeaseMs)).map((m) => ({ agent: m.agent, host: m.host, pid: m.pid, role: m.role, seenAt: m.seenAt })),
  }));

  /** What the page needs to know about the server's settings (no secrets). */
  app.get("/api/settings", async () => ({
    staleThresholdMs: ctx.config.staleThresholdMs,
    heartbeatIntervalMs: ctx.config.heartbeatIntervalMs,
    lateAfterMs: ctx.config.lateAfterMs,
    tokenRequired: ctx.config.apiToken !== undefined,
    /** Every state, the live and revivable sets, labels and sort order: the page keeps no copy. */
    states: stateVocabulary(),
  }));

  app.get("/api/agents/:name", async (req) => {
    const { name } = parseOr400(nameParams, req.params, "agent name");
    const record = await ctx.store.getAgent(name);
    if (!record) throw new AgentNotFoundError(name);
    const now = ctx.clock.now();
    // the transition list is oldest-first: take the last day, keep the newest 100
    const transitions = (await ctx.store.getTransitions({ agent: name, since: now - 86_400_000, limit: 5000 })).slice(-100);
    const suspicion = toSuspicionView(record, now, ctx.config);
    const live = isLiveState(record.state);
    return {
      agent: toAgentView(record, now, { lateAfterMs: ctx.config.lateAfterMs }),
      suspicion,
      /** A signal of this run rising steadily towards its limit, the soonest (null when none): shown like `late` */
      degrading: live ? await readDegrading(ctx.store.perf, name, record.startedAt, degradingLimits(ctx.config, suspicion.staleAfterMs), now) : null,
      /** Its signals' open anomalies (docs/detection.md), oldest first */
      anomalies: live ? await readAnomalies(ctx.store.signals, name) : [],
      staleThresholdMs: ctx.config.staleThresholdMs,
      transitions: transitions.map((t) => ({ ...t, at: new Date(t.at).toISOString() })),
      errors: (await ctx.store.getErrors({ agent: name, limit: 20 })).map((e) => ({ ...e, at: new Date(e.at).toISOString() })),
      /** [at ms, heartbeat age ms, heartbeat latency ms, rss bytes, cpu %] sampled by the server */
      samples: ctx.perf.agentSamples(name),
    };
  });

  app.get("/api/agents/:name/logs", async (req) => {
    const { name } = parseOr400(nameParams, req.params, "agent name");
    const { lines } = parseOr400(logsQuery, req.query, "query");
    const tail = await tailAgentLog(ctx.config.logDir, name, lines ?? 100);
    // the file's name only: the server's directory layout is none of the page's business
    return { ...tail, file: tail.file && basename(tail.file) };
  });
};

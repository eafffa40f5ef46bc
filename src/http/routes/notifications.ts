/**
 * Notifications over HTTP: the delivery history (`GET /api/notifications`), silences (list, add,
 * end) and a test message to every channel. Adding or ending a silence and sending a test change
 * state or reach outside, so they take the API token.
 */
import { hostname } from "node:os";
import picomatch from "picomatch";
import { z } from "zod";
import { dashboardLink, channelsFromConfig, sendTestMessage } from "../../notify/index.js";
import type { Silence } from "../../storage/index.js";
import type { RoutePlugin } from "../context.js";
import { parseOr400 } from "../errors.js";
import { agentName } from "../schemas.js";

const listQuery = z.strictObject({
  agent: agentName.optional(),
  limit: z.coerce.number().int("expected a whole number").min(1).max(500).optional(),
});

/** A name or a glob: printable, no control characters, at most 200 characters. */
const pattern = z.string().trim().min(1, "expected an agent name or glob").max(200).regex(/^[^\u0000-\u001f\u007f]+$/, "expected printable characters");

const newSilence = z.strictObject({
  agent: pattern,
  forSeconds: z.number({ message: "expected a number of seconds" }).finite().positive().max(366 * 24 * 3600),
  reason: z.string().max(500).optional(),
  holdRestarts: z.boolean().optional(),
});

const silenceQuery = z.strictObject({ agent: agentName.optional() });

const idParams = z.strictObject({ id: z.coerce.number().int().positive() });

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
const silenceView = (s: Silence) => ({ ...s, createdAt: iso(s.createdAt), until: iso(s.until) });

export const notificationRoutes: RoutePlugin = (app, ctx) => {
  app.get("/api/notifications", async (req) => {
    const q = parseOr400(listQuery, req.query, "query");
    const [rows, backlog] = await Promise.all([ctx.store.notify.deliveries({ agent: q.agent, limit: q.limit ?? 50 }), ctx.store.notify.backlog()]);
    return {
      backlog,
      deliveries: rows.map(({ payload, ...d }) => ({
        ...d, title: (payload as { title?: string }).title ?? null, createdAt: iso(d.createdAt), nextAttemptAt: iso(d.nextAttemptAt), deliveredAt: iso(d.deliveredAt),
      })),
    };
  });

  app.get("/api/silences", async (req) => {
    const { agent } = parseOr400(silenceQuery, req.query, "query");
    const all = await ctx.store.notify.activeSilences();
    return { silences: (agent === undefined ? all : all.filter((s) => s.pattern === agent || picomatch.isMatch(agent, s.pattern))).map(silenceView) };
  });

  app.post("/api/silences", { onRequest: ctx.requireToken }, async (req, reply) => {
    const b = parseOr400(newSilence, req.body, "body");
    const s = await ctx.store.notify.addSilence({ pattern: b.agent, untilMs: b.forSeconds * 1000, reason: b.reason, holdRestarts: b.holdRestarts });
    ctx.logger.info(`silenced ${JSON.stringify(b.agent)} for ${b.forSeconds} s from ${req.ip}`);
    ctx.live.nudge();
    return reply.code(201).send({ ok: true, silence: silenceView(s) });
  });

  app.delete("/api/silences/:id", { onRequest: ctx.requireToken }, async (req, reply) => {
    const { id } = parseOr400(idParams, req.params, "path");
    const ended = await ctx.store.notify.removeSilences({ id });
    if (!ended) return reply.code(404).send({ error: "SILENCE_NOT_FOUND", message: `No active silence with id ${id}; list them with GET /api/silences` });
    ctx.live.nudge();
    return { ok: true, ended };
  });

  app.post("/api/notify-test", { onRequest: ctx.requireToken }, async (_req, reply) => {
    const channels = channelsFromConfig(ctx.config);
    if (!channels.length) return reply.code(409).send({ error: "NO_CHANNELS", message: "No notification channel is configured: set NOTIFY_URLS (or NOTIFY_URLS_FILE)" });
    const results = await sendTestMessage(channels, { host: hostname(), dashboardUrl: dashboardLink(ctx.config), secret: ctx.config.notifySecret, now: ctx.clock.now() });
    return { results };
  });
};

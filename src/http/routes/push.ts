/**
 * `POST /api/agents/:name/heartbeat`: push monitoring for agents in any language (like an Uptime
 * Kuma push monitor). Every body field is optional; an unknown name registers the agent. `status`
 * "error"/"down" records the error (with `message`) and moves the agent to `error`; "ok"/"up" brings
 * an initializing/error/recovering agent to `active`. The body is validated before anything is written.
 *
 * `POST /api/heartbeats` `{ heartbeats: [{ name, ...same fields }] }`: many agents in one request
 * (a sidecar or gateway relaying a whole host's agents). Each item is validated on its own; the
 * valid ones are written, and the answer has one result per item, in order.
 *
 * Heartbeats of concurrent requests share one transaction (storage/group-commit.ts); a 202 is
 * sent only once the row is committed. Most single pushes are answered before fastify sees them
 * (../fast-push.ts), with the same checks and this module's `pushHeartbeat`.
 */
import { groupCommitOf, LIVE_NOT_ACTIVE_STATES, type AgentState, type HeartbeatGroupCommit, type HeartbeatInfo } from "../../storage/index.js";
import type { RoutePlugin, ServerContext } from "../context.js";
import { parseOr400 } from "../errors.js";
import { describeIssue, heartbeatBatchBody, heartbeatBatchItem, heartbeatBody, nameParams, optionalBody, type HeartbeatBody } from "../schemas.js";

/** The single push's body schema (no body at all is `{}`). */
export const pushBody = optionalBody(heartbeatBody);

const infoOf = (b: HeartbeatBody): HeartbeatInfo => ({
  pid: b.pid, host: b.host, version: b.version, rssBytes: b.rssBytes,
  cpuPercent: b.cpuPercent, eventLoopLagMs: b.eventLoopLagMs, writeLatencyMs: b.latencyMs, activity: b.activity,
});

/**
 * What a status other than a plain heartbeat changes, after the heartbeat is stored; `state` is
 * the agent's state the heartbeat left. Resolves with the state the agent is in afterwards.
 */
async function applyStatus(ctx: ServerContext, name: string, b: HeartbeatBody, state: AgentState): Promise<AgentState> {
  if (b.status === "error" || b.status === "down") {
    const message = b.message ?? `agent reported status "${b.status}"`;
    await ctx.store.recordError(name, message);
    return (await ctx.store.updateAgentState(name, "error", message.slice(0, 200))).state;
  }
  if ((b.status === "ok" || b.status === "up") && LIVE_NOT_ACTIVE_STATES.includes(state)) {
    return (await ctx.store.updateAgentState(name, "active", b.message?.slice(0, 200) ?? "push: ok")).state;
  }
  return state;
}

/** One validated push: stored (in the next group commit), its status applied, live views nudged. The 202's body. */
export async function pushHeartbeat(ctx: ServerContext, heartbeats: HeartbeatGroupCommit, name: string, b: HeartbeatBody) {
  const stored = await heartbeats.updateHeartbeat(name, infoOf(b));
  const state = b.status ? await applyStatus(ctx, name, b, stored) : stored;
  ctx.live.nudge();
  return { ok: true, name, state };
}

/** Enough for MAX_BATCH_ITEMS heartbeats with activity. */
const BATCH_BODY_LIMIT = 4 * 1024 * 1024;

type ItemResult = { name: string; ok: true } | { index: number; name: string | null; ok: false; error: string };

export const pushRoutes: RoutePlugin = (app, ctx) => {
  const heartbeats = groupCommitOf(ctx.store);

  app.post("/api/agents/:name/heartbeat", { onRequest: ctx.requireToken }, async (req, reply) => {
    const { name } = parseOr400(nameParams, req.params, "agent name");
    const b = parseOr400(pushBody, req.body, "body");
    return reply.code(202).send(await pushHeartbeat(ctx, heartbeats, name, b));
  });

  // a whole host's agents in one body: far above the server's small default limit
  app.post("/api/heartbeats", { onRequest: ctx.requireToken, bodyLimit: BATCH_BODY_LIMIT }, async (req, reply) => {
    const { heartbeats: items } = parseOr400(heartbeatBatchBody, req.body, "body");
    const results: ItemResult[] = [];
    const valid: { name: string; body: HeartbeatBody }[] = [];
    items.forEach((item, index) => {
      const r = heartbeatBatchItem.safeParse(item);
      if (r.success) {
        const { name, ...rest } = r.data;
        valid.push({ name, body: rest });
        results.push({ name, ok: true });
      } else {
        const name = typeof (item as { name?: unknown } | null)?.name === "string" ? (item as { name: string }).name : null;
        results.push({ index, name, ok: false, error: describeIssue(r.error, `heartbeats[${index}]`) });
      }
    });
    if (valid.length === 0) return reply.code(400).send({ error: "no valid heartbeat in the batch", results });
    const states = await heartbeats.updateHeartbeats(valid.map((v) => ({ name: v.name, info: infoOf(v.body) })));
    for (const [i, v] of valid.entries()) if (v.body.status) await applyStatus(ctx, v.name, v.body, states[i]!);
    ctx.live.nudge();
    return reply.code(202).send({ ok: results.every((r) => r.ok), stored: valid.length, results });
  });
};

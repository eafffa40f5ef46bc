/**
 * What each channel puts on the wire. The generic webhook body is versioned (`version: 1`,
 * documented in docs/notifications.md); chat channels get one readable text.
 */
import { createHmac } from "node:crypto";
import type { Notification } from "./types.js";

export const WEBHOOK_BODY_VERSION = 1;

export function webhookBody(n: Notification): Record<string, unknown> {
  const first = n.changes[0];
  return {
    version: WEBHOOK_BODY_VERSION,
    key: n.key,
    event: n.event,
    title: n.title,
    detail: n.detail,
    agent: first?.agent ?? null,
    from: first?.from ?? null,
    to: first?.to ?? null,
    reason: first?.reason ?? null,
    count: n.changes.length,
    changes: n.changes.map((c) => ({ agent: c.agent, from: c.from, to: c.to, reason: c.reason, at: new Date(c.at).toISOString(), transitionId: c.transitionId ?? null })),
    at: new Date(n.at).toISOString(),
    host: n.host,
    dashboard: n.dashboardUrl ?? null,
  };
}

/** `sha256=<hex>` over the exact body bytes, as GitHub's X-Hub-Signature-256. */
export function signature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** Title, detail lines and the dashboard link, as plain text. */
export function plainText(n: Notification, limit = 4000): string {
  const lines = [n.title, ...n.detail];
  if (n.dashboardUrl) lines.push(n.dashboardUrl);
  const text = lines.join("\n");
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

export const slackBody = (n: Notification) => ({ text: plainText(n, 3000) });

/** Discord caps `content` at 2,000 characters; mentions are switched off (names are user text). */
export const discordBody = (n: Notification) => ({ content: plainText(n, 2000), allowed_mentions: { parse: [] } });

const NTFY_TAGS: Record<string, string> = { stale: "warning", failed: "rotating_light", error: "x", recovered: "white_check_mark", flapping: "ocean", monitor: "eyes", late: "hourglass", anomaly: "chart_with_upwards_trend", test: "test_tube" };

/** ntfy's JSON publish (POST to the server root), so names in any script survive (headers are ASCII). */
export function ntfyBody(n: Notification, topic: string): Record<string, unknown> {
  return {
    topic,
    title: n.title,
    message: [...n.detail].join("\n") || n.title,
    tags: [NTFY_TAGS[n.event] ?? "bell"],
    priority: n.event === "stale" || n.event === "failed" ? 4 : 3,
    ...(n.dashboardUrl ? { click: n.dashboardUrl } : {}),
  };
}

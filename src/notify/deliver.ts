/**
 * Sends one notification to one channel and says whether it landed, and if not, whether trying
 * again can help (a 4xx other than 408/429, or a refused address, cannot).
 */
import type { ChannelSpec, DeliveryResult, Notification } from "./types.js";
import { discordBody, ntfyBody, plainText, signature, slackBody, webhookBody } from "./wire.js";

export interface DeliverOptions {
  /** HMAC key for X-Bg-Agents-Signature (generic webhooks). */
  secret?: string;
  /** @defaultValue 10_000 */
  timeoutMs?: number;
}

export async function deliver(channel: ChannelSpec, n: Notification, opts: DeliverOptions = {}): Promise<DeliveryResult> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  try {
    switch (channel.kind) {
      case "webhook": {
        const body = JSON.stringify(webhookBody(n));
        const headers: Record<string, string> = { "idempotency-key": n.key, "x-bg-agents-event": n.event };
        if (opts.secret) headers["x-bg-agents-signature"] = signature(body, opts.secret);
        return await postJson(channel.target, body, headers, timeoutMs);
      }
      case "slack":
        return await postJson(channel.target, JSON.stringify(slackBody(n)), {}, timeoutMs);
      case "discord":
        return await postJson(channel.target, JSON.stringify(discordBody(n)), {}, timeoutMs);
      case "ntfy": {
        const topic = channel.target.pathname.replace(/^\/+/, "");
        return await postJson(new URL("/", channel.target), JSON.stringify(ntfyBody(n, topic)), {}, timeoutMs);
      }
      case "email":
        return await sendMail(channel.target, n, timeoutMs);
    }
  } catch (e) {
    return { ok: false, permanent: false, status: 0, error: describe(e) };
  }
}

async function postJson(url: URL, body: string, headers: Record<string, string>, timeoutMs: number): Promise<DeliveryResult> {
  const target = new URL(url.href);
  const auth: Record<string, string> = {};
  if (target.username) auth.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString("base64")}`;
  target.username = target.password = "";
  const res = await fetch(target, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "background-agents", ...auth, ...headers },
    body,
    signal: AbortSignal.timeout(timeoutMs),
    redirect: "error",
  });
  await res.arrayBuffer().catch(() => undefined);
  if (res.ok) return { ok: true, permanent: false, status: res.status };
  const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429;
  return { ok: false, permanent, status: res.status, error: `HTTP ${res.status}` };
}

async function sendMail(url: URL, n: Notification, timeoutMs: number): Promise<DeliveryResult> {
  // loaded on the first email only: most processes that can notify never send one (about 40 modules)
  const { default: nodemailer } = await import("nodemailer");
  const from = url.searchParams.get("from")!;
  const to = url.searchParams.get("to")!;
  const server = new URL(url.href);
  server.search = "";
  const transport = nodemailer.createTransport({
    url: server.href,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    // a local relay on loopback often has a self-signed certificate; STARTTLS is still used when offered
    tls: { rejectUnauthorized: !isLoopback(server.hostname) },
  });
  try {
    await transport.sendMail({ from, to, subject: n.title, text: plainText(n, 100_000), messageId: `<${n.key}@background-agents>`, headers: { "X-Bg-Agents-Event": n.event } });
    return { ok: true, permanent: false, status: 250 };
  } catch (e) {
    const code = (e as { responseCode?: number }).responseCode ?? 0;
    return { ok: false, permanent: code >= 500 && code < 600, status: code, error: describe(e) };
  } finally {
    transport.close();
  }
}

const isLoopback = (host: string) => host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");

function describe(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const cause = err?.cause?.code ?? err?.cause?.message;
  return `${err?.name === "TimeoutError" ? "timed out" : err?.message ?? String(e)}${cause ? ` (${cause})` : ""}`;
}

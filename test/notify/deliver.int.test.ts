/** Every channel's wire format, sent to real local receivers (HTTP and SMTP). */
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseChannelUrl } from "../../src/notify/channel-url.js";
import { deliver } from "../../src/notify/deliver.js";
import type { Notification } from "../../src/notify/types.js";
import { httpReceiver, smtpReceiver, type HttpReceiver, type SmtpReceiver } from "./receivers.js";

const note: Notification = {
  key: "bg-1-42-webhook",
  event: "stale",
  title: "2 agents stale: worker-<b>1</b>, wörker-2",
  detail: ["worker-<b>1</b>: no heartbeat for 2m 5s", "wörker-2: no heartbeat for 2m 1s"],
  changes: [
    { agent: "worker-<b>1</b>", from: "active", to: "stale", reason: "no heartbeat for 125s", at: Date.UTC(2026, 11, 1, 12), transitionId: 41 },
    { agent: "wörker-2", from: "active", to: "stale", reason: "no heartbeat for 121s", at: Date.UTC(2026, 11, 1, 12), transitionId: 42 },
  ],
  agents: ["worker-<b>1</b>", "wörker-2"],
  at: Date.UTC(2026, 11, 1, 12, 0, 5),
  host: "vm-1",
  dashboardUrl: "http://127.0.0.1:8501/",
};

let http: HttpReceiver;
let smtp: SmtpReceiver;
beforeAll(async () => {
  http = await httpReceiver();
  smtp = await smtpReceiver();
});
afterAll(async () => {
  await http.close();
  await smtp.close();
});
const last = () => http.requests.at(-1)!;

/** The text part of a quoted-printable mail, decoded. */
function mailText(raw: string): string {
  const body = raw.slice(raw.indexOf("\r\n\r\n") + 4).replace(/=\r?\n/g, "");
  return Buffer.from(body.replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
}

describe("deliver", () => {
  it("webhook: the versioned JSON body, idempotency key and HMAC signature", async () => {
    const r = await deliver(parseChannelUrl(`${http.url}/hook?token=t1&events=stale`), note, { secret: "s3cret" });
    expect(r).toEqual({ ok: true, permanent: false, status: 200 });
    const req = last();
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/hook?token=t1");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["idempotency-key"]).toBe(note.key);
    const expected = `sha256=${createHmac("sha256", "s3cret").update(req.body).digest("hex")}`;
    expect(req.headers["x-bg-agents-signature"]).toBe(expected);
    const body = JSON.parse(req.body);
    expect(body).toMatchObject({
      version: 1, key: note.key, event: "stale", agent: "worker-<b>1</b>", from: "active", to: "stale",
      reason: "no heartbeat for 125s", count: 2, at: "2026-12-01T12:00:05.000Z", host: "vm-1", dashboard: "http://127.0.0.1:8501/",
    });
    expect(body.changes.map((c: { agent: string }) => c.agent)).toEqual(["worker-<b>1</b>", "wörker-2"]);
    expect(body.changes[1].transitionId).toBe(42);
  });

  it("webhook without NOTIFY_SECRET carries no signature", async () => {
    await deliver(parseChannelUrl(`${http.url}/plain`), note);
    expect(last().headers["x-bg-agents-signature"]).toBeUndefined();
  });

  it("slack: one text with every name", async () => {
    await deliver(parseChannelUrl(`${http.url}/services/T/B/x?format=slack`), note);
    const body = JSON.parse(last().body);
    expect(Object.keys(body)).toEqual(["text"]);
    expect(body.text).toContain("2 agents stale");
    expect(body.text).toContain("wörker-2: no heartbeat");
    expect(body.text).toContain("http://127.0.0.1:8501/");
  });

  it("discord: content within 2,000 characters and no mentions", async () => {
    const many: Notification = { ...note, detail: Array.from({ length: 300 }, (_, i) => `agent-${i}: no heartbeat`) };
    await deliver(parseChannelUrl(`${http.url}/api/webhooks/1/abc?format=discord`), many);
    const body = JSON.parse(last().body);
    expect(body.content.length).toBeLessThanOrEqual(2000);
    expect(body.content.startsWith("2 agents stale")).toBe(true);
    expect(body.allowed_mentions).toEqual({ parse: [] });
  });

  it("ntfy: JSON publish to the server root with the topic (ntfy:// and ?format=ntfy)", async () => {
    const port = new URL(http.url).port;
    await deliver(parseChannelUrl(`ntfy://127.0.0.1:${port}/ops-alerts?tls=off`), note);
    let req = last();
    expect(req.path).toBe("/");
    let body = JSON.parse(req.body);
    expect(body).toMatchObject({ topic: "ops-alerts", title: note.title, priority: 4, tags: ["warning"], click: "http://127.0.0.1:8501/" });
    expect(body.message).toContain("wörker-2");
    await deliver(parseChannelUrl(`http://user:pw@127.0.0.1:${port}/other?format=ntfy`), { ...note, event: "recovered" });
    req = last();
    body = JSON.parse(req.body);
    expect(body.topic).toBe("other");
    expect(body.priority).toBe(3);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from("user:pw").toString("base64")}`);
  });

  it("email: through nodemailer to an SMTP server, subject and text", async () => {
    const r = await deliver(parseChannelUrl(`smtp://127.0.0.1:${smtp.port}?from=bg@example.org&to=ops@example.org,oncall@example.org`), note);
    expect(r.ok).toBe(true);
    const mail = smtp.mails.at(-1)!;
    expect(mail.from).toBe("bg@example.org");
    expect(mail.to).toEqual(["ops@example.org", "oncall@example.org"]);
    expect(mail.raw).toMatch(/^Subject: /m);
    expect(mail.raw).toContain(`Message-ID: <${note.key}@background-agents>`);
    expect(mailText(mail.raw)).toContain("wörker-2: no heartbeat for 2m 1s");
    expect(mailText(mail.raw)).toContain("worker-<b>1</b>: no heartbeat for 2m 5s");
  });

  it("a refused address is permanent; a 4xx is permanent; 5xx, 429 and no answer are worth retrying", async () => {
    smtp.rejectRcpt = 550;
    const refused = await deliver(parseChannelUrl(`smtp://127.0.0.1:${smtp.port}?from=a@b.c&to=nobody@b.c`), note);
    smtp.rejectRcpt = undefined;
    expect(refused).toMatchObject({ ok: false, permanent: true, status: 550 });
    for (const [status, permanent] of [[404, true], [410, true], [429, false], [500, false], [503, false]] as const) {
      http.status = status;
      const r = await deliver(parseChannelUrl(`${http.url}/x`), note);
      expect(r).toMatchObject({ ok: false, permanent, status });
    }
    http.status = 200;
    const down = await deliver(parseChannelUrl("http://127.0.0.1:9/x"), note, { timeoutMs: 2000 });
    expect(down).toMatchObject({ ok: false, permanent: false, status: 0 });
    expect(down.error).toMatch(/ECONNREFUSED|fetch failed/);
  });
});

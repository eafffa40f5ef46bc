/** `bg-agents notify-test` and `POST /api/notify-test`: one message to every channel now, outside the outbox. */
import { deliver } from "./deliver.js";
import type { ChannelSpec, Notification } from "./types.js";

export interface TestResult {
  channel: string;
  ok: boolean;
  error?: string;
}

export async function sendTestMessage(channels: readonly ChannelSpec[], o: { host: string; dashboardUrl?: string; secret?: string; now: number; timeoutMs?: number }): Promise<TestResult[]> {
  const n: Notification = {
    key: `bg-test-${o.now}`, event: "test", title: `Test message from background-agents on ${o.host}`,
    detail: ["If you can read this, notifications reach this channel."], changes: [], agents: [], at: o.now, host: o.host, dashboardUrl: o.dashboardUrl,
  };
  return Promise.all(channels.map(async (ch) => {
    const r = await deliver(ch, n, { secret: o.secret, timeoutMs: o.timeoutMs });
    return { channel: ch.id, ok: r.ok, ...(r.error ? { error: r.error } : {}) };
  }));
}

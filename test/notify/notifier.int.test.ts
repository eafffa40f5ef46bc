/** The notifier against a real SQLite store and real local receivers, time moved by hand. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseChannelUrls } from "../../src/notify/channel-url.js";
import { Notifier, type NotifierOptions } from "../../src/notify/notifier.js";
import type { SharedState } from "../../src/storage/sqlite/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { httpReceiver, type HttpReceiver } from "./receivers.js";

const THRESHOLD = 120_000;
let clock: ManualClock;
let store: SharedState;
let a: HttpReceiver;
let b: HttpReceiver;
const logs = captureLogger("notifier");

beforeEach(async () => {
  clock = new ManualClock();
  store = await openTestStore({ clock });
  a = await httpReceiver();
  b = await httpReceiver();
});
afterEach(async () => {
  await a.close();
  await b.close();
  await closeStores();
  removeTempDirs();
});

function notifier(over: Partial<NotifierOptions> = {}): Notifier {
  return new Notifier({
    store, clock, logger: logs.logger, host: "h1", channels: parseChannelUrls(`${a.url}/a\n${b.url}/b?format=slack`),
    retryBaseMs: 1_000, retryMaxMs: 8_000, monitorDownAfterMs: 3_600_000, ...over,
  });
}
const bodies = (rx: HttpReceiver) => rx.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>);
/** Every agent named in stale / recovered webhook messages, with repeats. */
const named = (rx: HttpReceiver, event: string) => bodies(rx).filter((x) => x.event === event)
  .flatMap((x) => (x.changes as { agent: string }[]).map((c) => c.agent));

async function tick(n: Notifier, ms = 6_000): Promise<void> {
  clock.advance(ms);
  await n.tick();
  await n.idle();
}

describe("Notifier", () => {
  it("20 agents, 6 go silent, 2 come back: the 6 stale once each, the 2 recovered, nothing for the 14", async () => {
    const n = notifier();
    await n.tick(); // first run: the cursor starts at the end of the feed
    const names = Array.from({ length: 20 }, (_, i) => `agent-${String(i).padStart(2, "0")}`);
    for (const name of names) await store.updateHeartbeat(name);
    clock.advance(THRESHOLD - 10_000);
    for (const name of names.slice(6)) await store.updateHeartbeat(name);
    clock.advance(20_000);
    expect((await store.markStaleAgents(THRESHOLD)).map((s) => s.name)).toEqual(names.slice(0, 6));
    await tick(n);
    for (const name of names.slice(0, 2)) await store.updateHeartbeat(name);
    await tick(n);
    await tick(n);
    for (const rx of [a]) {
      expect(named(rx, "stale").sort()).toEqual(names.slice(0, 6));
      expect(named(rx, "recovered").sort()).toEqual(names.slice(0, 2));
      expect(bodies(rx).filter((x) => x.event === "stale")).toHaveLength(1);
    }
    const slack = b.requests.map((r) => (JSON.parse(r.body) as { text: string }).text);
    expect(slack).toHaveLength(2);
    expect(slack[0]).toMatch(/^6 agents stale: agent-00, agent-01, agent-02, agent-03, agent-04, agent-05/);
    expect(slack[1]).toMatch(/^2 agents recovered: agent-00, agent-01/);
    for (const live of names.slice(6)) expect(slack.join("\n")).not.toContain(live);
  });

  it("a channel down for a minute gets everything it missed, in order; the other is not held up", async () => {
    const n = notifier();
    await n.tick();
    await store.updateHeartbeat("w1");
    await store.updateHeartbeat("w2");
    a.status = 503;
    clock.advance(THRESHOLD + 1);
    await store.markStaleAgents(THRESHOLD);
    await tick(n);
    expect(b.requests).toHaveLength(1);
    await store.updateHeartbeat("w1");
    await tick(n);
    expect(b.requests).toHaveLength(2);
    expect(a.requests).toHaveLength(0);
    for (let s = 0; s < 60; s += 6) await tick(n);
    expect(a.requests).toHaveLength(0);
    a.status = 200;
    for (let s = 0; s < 30; s += 6) await tick(n);
    expect(bodies(a).map((x) => x.event)).toEqual(["stale", "recovered"]);
    expect(b.requests).toHaveLength(2);
    const warn = logs.entries.filter((e) => /is not answering/.test(e.message));
    expect(warn).toHaveLength(1);
    expect(logs.entries.filter((e) => /answers again/.test(e.message))).toHaveLength(1);
    const delivered = await store.notify.deliveries();
    expect(delivered.every((d) => d.status === "delivered")).toBe(true);
    expect(await store.notify.backlog()).toEqual({});
  });

  it("a 4xx is reported once and not retried; later messages still go", async () => {
    const n = notifier();
    await n.tick();
    a.status = 404;
    await store.updateHeartbeat("x");
    clock.advance(THRESHOLD + 1);
    await store.markStaleAgents(THRESHOLD);
    await tick(n);
    await tick(n);
    await tick(n);
    a.status = 200;
    await store.updateHeartbeat("x");
    await tick(n);
    expect(bodies(a).map((x) => x.event)).toEqual(["recovered"]);
    const dead = (await store.notify.deliveries()).filter((d) => d.status === "dead");
    expect(dead).toHaveLength(1);
    expect(dead[0]!.attempts).toBe(1);
    expect(logs.entries.filter((e) => /refused message/.test(e.message))).toHaveLength(1);
  });

  it("a silenced agent that goes stale sends nothing; after the silence the next transition is sent", async () => {
    const n = notifier();
    await n.tick();
    await store.notify.addSilence({ pattern: "batch-*", untilMs: 30 * 60_000, reason: "maintenance" });
    await store.updateHeartbeat("batch-1");
    clock.advance(THRESHOLD + 1);
    await store.markStaleAgents(THRESHOLD);
    await tick(n);
    expect(a.requests).toHaveLength(0);
    clock.advance(30 * 60_000);
    expect(await store.notify.activeSilences()).toEqual([]);
    await store.updateHeartbeat("batch-1");
    await tick(n);
    clock.advance(THRESHOLD + 1);
    await store.markStaleAgents(THRESHOLD);
    await tick(n);
    expect(bodies(a).map((x) => [x.event, x.agent])).toEqual([["stale", "batch-1"]]);
  });

  it("after the monitor's own downtime, one message says it was down and for how long", async () => {
    let n = notifier({ monitorDownAfterMs: THRESHOLD });
    await n.tick();
    await tick(n);
    await n.stop();
    clock.advance(10 * 60_000);
    n = notifier({ monitorDownAfterMs: THRESHOLD });
    await tick(n, 0);
    await tick(n);
    const monitor = bodies(a).filter((x) => x.event === "monitor");
    expect(monitor).toHaveLength(1);
    expect(monitor[0]!.title).toBe("The monitor was down for 10 min");
  });

  it("events= and agents= narrow what a channel gets", async () => {
    const n = notifier({ channels: parseChannelUrls(`${a.url}/a?events=recovered\n${b.url}/b?agents=web-*`) });
    await n.tick();
    for (const name of ["web-1", "db-1"]) await store.updateHeartbeat(name);
    clock.advance(THRESHOLD + 1);
    await store.markStaleAgents(THRESHOLD);
    await tick(n);
    await store.updateHeartbeat("web-1");
    await store.updateHeartbeat("db-1");
    await tick(n);
    expect(bodies(a).map((x) => [x.event, x.count])).toEqual([["recovered", 2]]);
    expect(bodies(b).map((x) => [x.event, x.changes])).toEqual([
      ["stale", [expect.objectContaining({ agent: "web-1" })]],
      ["recovered", [expect.objectContaining({ agent: "web-1" })]],
    ]);
  });

  it("events=late: one message when a live agent falls behind LATE_AFTER, again only after a new heartbeat", async () => {
    const n = notifier({ channels: parseChannelUrls(`${a.url}/a?events=late`), lateAfterMs: 60_000 });
    await n.tick();
    await store.updateHeartbeat("slow");
    await store.updateHeartbeat("fine");
    clock.advance(50_000);
    await store.updateHeartbeat("fine");
    await tick(n, 15_000);
    await tick(n);
    expect(bodies(a).map((x) => [x.event, x.title])).toEqual([["late", "slow is late"]]);
    await store.updateHeartbeat("slow");
    await tick(n, 61_000);
    expect(bodies(a).map((x) => x.title)).toEqual(["slow is late", "2 agents late: fine, slow"]);
  });
});

describe("Notifier: anomalies", () => {
  const ev = (agent: string, kind: "started" | "ended", signal = "rssBytes") =>
    ({ at: clock.now(), agent, signal, kind, value: 3e8, baseline: 8e7, text: kind === "started" ? "RSS 286 MB, usually 76 MB" : "RSS 76 MB, usually 76 MB: back to normal" });

  it("anomalies that start together are one message of event anomaly, sent once; their end is one more; history is not news", async () => {
    await store.signals.save([], [ev("old", "started")]); // before notifications were set up
    const n = notifier({ channels: parseChannelUrls(`${a.url}/a?events=anomaly\n${b.url}/b?events=stale`) });
    await n.tick();
    await store.signals.save([], [ev("leaky", "started"), ev("hot", "started", "cpuPercent")]);
    await tick(n);
    await tick(n);
    const got = bodies(a);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ event: "anomaly", title: "2 anomalies: leaky (RSS 286 MB, usually 76 MB), hot (RSS 286 MB, usually 76 MB)" });
    await store.signals.save([], [ev("leaky", "ended")]);
    await tick(n);
    expect(bodies(a).map((x) => x.title)).toEqual([got[0]!.title, "leaky: RSS 76 MB, usually 76 MB: back to normal"]);
    expect(b.requests).toEqual([]); // that channel did not ask for anomalies
    // a new notifier (a restart) reads the cursor from the database: nothing again
    await tick(notifier({ channels: parseChannelUrls(`${a.url}/a?events=anomaly`) }));
    expect(bodies(a)).toHaveLength(2);
  });

  it("a silenced agent's anomaly is not sent", async () => {
    const n = notifier({ channels: parseChannelUrls(`${a.url}/a?events=anomaly`) });
    await n.tick();
    await store.notify.addSilence({ pattern: "quiet-*", untilMs: 3_600_000 });
    await store.signals.save([], [ev("quiet-1", "started")]);
    await tick(n);
    expect(a.requests).toEqual([]);
  });
});

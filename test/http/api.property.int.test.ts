/**
 * The HTTP API against inputs a machine makes up (fast-check), on a real server over a real SQLite
 * file: no request gives a 5xx or takes the server down; a refused request writes nothing (every
 * table compared before and after); every answer is JSON, never markup; reads never write; paging
 * and sorting keep their promises. On failure fast-check prints the seed and the shrunk request.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AGENT_SORT_KEYS, AGENT_STATES } from "../../src/storage/index.js";
import { closeStores } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { closeServers, snapshot, startTestServer, type TestServer } from "./helpers.js";

const RUNS = 250;
let t: TestServer;

beforeAll(async () => {
  t = await startTestServer();
  for (const n of ["alpha", "beta", "gamma", "<b>bold</b>", "δelta"]) await t.store.updateHeartbeat(n, { pid: 1, host: "h" });
  await t.store.updateAgentState("beta", "stale", "test");
  await t.store.updateAgentState("gamma", "failed", "test");
});

afterAll(async () => {
  await closeServers();
  await closeStores();
  removeTempDirs();
});

/** Strings with the characters that break things: controls, bidi, quotes, slashes, markup, unicode. */
const nasty = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "../../etc/passwd", "a\u202Eb", "a\nb", "%00", "\u0000", " ", "", "x".repeat(129), "__proto__", "constructor", "😀".repeat(40)),
);
const jsonish = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.object({ maxDepth: 2 }));
const pushField = fc.record({
  status: fc.oneof(fc.constantFrom("ok", "up", "error", "down"), nasty, jsonish),
  message: fc.oneof(nasty, jsonish, fc.string({ maxLength: 5000 })),
  latencyMs: fc.oneof(fc.double(), fc.integer(), jsonish),
  pid: fc.oneof(fc.integer(), fc.double(), nasty),
  host: nasty,
  version: nasty,
  rssBytes: fc.oneof(fc.double(), fc.maxSafeInteger(), nasty),
  cpuPercent: fc.oneof(fc.double(), nasty),
  eventLoopLagMs: fc.oneof(fc.double(), jsonish),
  extra: jsonish,
}, { requiredKeys: [] });
const body = fc.oneof(
  pushField.map((o) => JSON.stringify(o)),
  jsonish.map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.constant(""),
  fc.constant(undefined),
);
const contentType = fc.constantFrom<string | undefined>("application/json", "application/json; charset=utf-8", "text/plain", "application/x-www-form-urlencoded", "text/html", undefined);

interface Answer { status: number; type: string; text: string }

async function send(path: string, init: { method?: string; body?: string; type?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = init.type ? { "content-type": init.type } : {};
  const res = await fetch(`${t.url}${path}`, { method: init.method ?? "GET", headers, body: init.body });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

/** What every answer must be: not a 5xx, JSON (so never rendered as markup), with a message when refused. */
function expectSane(a: Answer, what: string): void {
  expect(a.status, `${what}: ${a.text.slice(0, 300)}`).toBeLessThan(500);
  expect(a.type, what).toMatch(/^application\/json/);
  const parsed = JSON.parse(a.text) as { message?: unknown };
  if (a.status >= 400) expect(typeof parsed.message, what).toBe("string");
}

async function writesOf(op: () => Promise<Answer>): Promise<{ a: Answer; wrote: boolean }> {
  const before = snapshot(t.store);
  const token = await t.store.changeToken();
  const a = await op();
  return { a, wrote: snapshot(t.store) !== before || (await t.store.changeToken()) !== token };
}

const path = (name: string) => encodeURIComponent(name);

describe("API properties (fast-check)", () => {
  it("heartbeat push: never a 5xx; a refused push writes nothing; an accepted one leaves the agent readable", async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(nasty, fc.constantFrom("alpha", "worker-1")), body, contentType, async (name, b, type) => {
      const { a, wrote } = await writesOf(() => send(`/api/agents/${path(name)}/heartbeat`, { method: "POST", body: b, type }));
      expectSane(a, `push ${JSON.stringify(name)} ${JSON.stringify(b)?.slice(0, 200)} (${type})`);
      if (a.status !== 202) expect(wrote, `refused push (${a.status}) wrote`).toBe(false);
      else {
        const got = await send(`/api/agents/${path(name)}`);
        expect(got.status).toBe(200);
        expect((JSON.parse(got.text) as { agent: { name: string } }).agent.name).toBe(name);
      }
    }), { numRuns: RUNS });
  });

  it("restart and clean-up: never a 5xx; without a supervisor no restart is recorded; a refused clean-up or a dry run writes nothing", async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(nasty, fc.constantFrom("alpha", "beta", "gamma")), body, contentType, async (name, b, type) => {
      const r = await writesOf(() => send(`/api/agents/${path(name)}/restart`, { method: "POST", body: b, type }));
      expectSane(r.a, `restart ${JSON.stringify(name)}`);
      expect(r.a.status).not.toBe(202); // no supervisor runs on this database
      expect(r.wrote, `refused restart (${r.a.status}) wrote`).toBe(false);
    }), { numRuns: RUNS });
    await fc.assert(fc.asyncProperty(
      fc.oneof(body, fc.record({ olderThanSeconds: fc.oneof(fc.double(), nasty, fc.integer()), dryRun: fc.oneof(fc.boolean(), nasty) }, { requiredKeys: [] }).map((o) => JSON.stringify(o))),
      contentType,
      async (b, type) => {
        const dry = (() => { try { return (JSON.parse(b ?? "null") as { dryRun?: unknown })?.dryRun === true; } catch { return false; } })();
        const probe = await writesOf(() => send(`/api/cleanup-stale`, { method: "POST", body: b, type }));
        expectSane(probe.a, `clean-up ${String(b).slice(0, 200)} (${type})`);
        if (probe.a.status >= 400 || dry) expect(probe.wrote, `clean-up (${probe.a.status}, dryRun ${dry}) wrote`).toBe(false);
        if (probe.a.status === 200 && !dry) {
          // a real clean-up removed the stale/failed records: put them back for the next runs
          for (const n of ["beta", "gamma"]) {
            if (!(await t.store.getAgent(n))) {
              await t.store.updateHeartbeat(n, { pid: 1, host: "h" });
              await t.store.updateAgentState(n, n === "beta" ? "stale" : "failed", "test");
            }
          }
        }
      },
    ), { numRuns: RUNS });
  });

  it("listing: never a 5xx, never a write; a page holds at most `limit`, in the order asked, out of X-Total-Count", async () => {
    const key = fc.oneof(fc.constantFrom("state", "q", "sort", "order", "limit", "offset"), fc.string({ maxLength: 8 }));
    const val = fc.oneof(
      nasty,
      fc.constantFrom(...AGENT_SORT_KEYS, "asc", "desc", ...AGENT_STATES, "active,stale", ",,", "0", "-1", "1e9", "1.5", "100001"),
      fc.integer({ min: -5, max: 200 }).map(String),
    );
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(key, val), { maxLength: 5 }), async (pairs) => {
      const qs = new URLSearchParams(pairs).toString();
      const before = snapshot(t.store);
      const res = await fetch(`${t.url}/api/agents?${qs}`);
      const a: Answer = { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
      expectSane(a, `GET /api/agents?${qs}`);
      expect(snapshot(t.store)).toBe(before);
      if (a.status !== 200) return;
      const list = JSON.parse(a.text) as Array<{ name: string }>;
      const q = new URLSearchParams(qs);
      const total = Number(res.headers.get("x-total-count"));
      const limit = q.get("limit") ? Number(q.get("limit")) : Infinity;
      const offset = q.get("offset") ? Number(q.get("offset")) : 0;
      expect(list.length).toBeLessThanOrEqual(Math.min(limit, Math.max(0, total - offset)));
      if (q.get("sort") === "name" || !q.get("sort")) {
        const names = list.map((x) => x.name);
        // SQLite's BINARY collation: UTF-8 byte order
        const sorted = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
        expect(names).toEqual(q.get("order") === "desc" ? sorted.reverse() : sorted);
      }
    }), { numRuns: RUNS });
  });

  it("the live event stream: any query and Last-Event-ID gives a stream or a JSON refusal, and the server answers after", async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.string({ maxLength: 8 }), nasty), { maxLength: 3 }), fc.option(nasty), async (pairs, lastId) => {
      const controller = new AbortController();
      const headers: Record<string, string> = {};
      if (lastId !== null && /^[\x20-\x7e]*$/.test(lastId)) headers["last-event-id"] = lastId;
      const res = await fetch(`${t.url}/api/events?${new URLSearchParams(pairs)}`, { headers, signal: controller.signal });
      expect(res.status).toBeLessThan(500);
      if (res.status === 200) {
        expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
        const reader = res.body!.getReader();
        const first = await reader.read();
        expect(new TextDecoder().decode(first.value)).toMatch(/^(:|id:|event:|retry:|data:)/m);
      }
      controller.abort();
      expect((await send("/api/summary")).status).toBe(200);
    }), { numRuns: 60 });
  });

  it("the server is still up and its data readable after all of it", async () => {
    const a = await send("/api/agents");
    expectSane(a, "final list");
    expect((JSON.parse(a.text) as Array<{ name: string }>).map((x) => x.name)).toEqual(expect.arrayContaining(["alpha", "<b>bold</b>"]));
  });
});

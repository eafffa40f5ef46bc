/**
 * The fast push path (src/http/fast-push.ts) answers exactly as the fastify route would: the same
 * requests go to a server with it and to one without it (each over its own SQLite file), and the
 * status, the JSON body, the headers a client reads and what the store holds afterwards must be
 * the same. The path must also be taken for plain pushes, or these comparisons would prove nothing.
 */
import fc from "fast-check";
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeServers, snapshot, startTestServer, type TestServer } from "./helpers.js";

interface Raw {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Send the body in chunks without a Content-Length. */
  chunked?: boolean;
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | undefined>;
}

const COMPARED_HEADERS = ["content-type", "x-content-type-options", "www-authenticate", "connection"];

function send(server: TestServer, r: Raw): Promise<Answer> {
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  const headers: Record<string, string | number> = { ...(r.headers ?? {}) };
  if (body && !r.chunked && headers["content-length"] === undefined) headers["content-length"] = body.length;
  return new Promise((resolve, reject) => {
    // the path as written (a URL would drop a fragment and turn a backslash into a slash)
    const { hostname, port } = new URL(server.url);
    const req = request({ hostname, port, path: r.path, method: r.method ?? "POST", headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({
        status: res.statusCode ?? 0,
        body: Buffer.concat(chunks).toString(),
        headers: Object.fromEntries(COMPARED_HEADERS.map((h) => [h, res.headers[h] as string | undefined])),
      }));
    });
    req.on("error", reject);
    if (body && r.chunked) {
      req.write(body.subarray(0, 1));
      req.end(body.subarray(1));
    } else {
      req.end(body);
    }
  });
}

/** What the store holds, without the times (the two servers write at different moments). */
function holdings(s: TestServer): unknown {
  const rows = s.store.db.prepare(`SELECT name, state, state_reason, heartbeats, pid, host, version, rss_bytes, cpu_percent, loop_lag_ms,
    hb_latency_ms, activity, error_count, last_error FROM agents ORDER BY name`).all();
  const errors = s.store.db.prepare(`SELECT agent, message FROM agent_errors ORDER BY id`).all();
  return { rows, errors };
}

const json = { "content-type": "application/json" };

function pairTests(env: Record<string, string>, token?: string) {
  let fast: TestServer;
  let slow: TestServer;
  beforeAll(async () => {
    fast = await startTestServer(env);
    slow = await startTestServer(env, { fastPush: false });
  });

  async function both(r: Raw): Promise<{ fast: Answer; slow: Answer; tookFastPath: boolean }> {
    const before = fast.server.fastPushes();
    const a = await send(fast, r);
    const tookFastPath = fast.server.fastPushes() > before;
    const b = await send(slow, r);
    expect(slow.server.fastPushes()).toBe(0);
    expect({ status: a.status, headers: a.headers, body: a.body }, JSON.stringify(r)).toEqual({ status: b.status, headers: b.headers, body: b.body });
    expect(holdings(fast)).toEqual(holdings(slow));
    return { fast: a, slow: b, tookFastPath };
  }

  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const cases: Array<[string, Raw, boolean]> = [
    ["a plain push", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: JSON.stringify({ pid: 42 }) }, true],
    ["every field", { path: "/api/agents/alpha/heartbeat", headers: { "content-type": "application/json; charset=utf-8", ...auth },
      body: JSON.stringify({ pid: 7, host: "h1", version: "1.2.3", rssBytes: 1e6, cpuPercent: 12.5, eventLoopLagMs: 3, latencyMs: 4, activity: { node: "work", step: 3, startedAt: 1, error: null } }) }, true],
    ["status error with a message", { path: "/api/agents/beta/heartbeat", headers: { ...json, ...auth }, body: JSON.stringify({ status: "error", message: "disk <full>" }) }, true],
    ["status ok after the error", { path: "/api/agents/beta/heartbeat", headers: { ...json, ...auth }, body: JSON.stringify({ status: "ok" }) }, true],
    ["malformed JSON", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: "{pid: 1" }, true],
    ["a prototype-poisoning body", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: '{"__proto__": {"x": 1}}' }, true],
    ["a constructor-poisoning body", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: '{"constructor": {"prototype": {"x": 1}}}' }, true],
    ["a JSON array", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: "[1]" }, true],
    ["JSON null", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: "null" }, true],
    ["an unknown field", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: JSON.stringify({ pid: 1, color: "red" }) }, true],
    ["a pid of the wrong type", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: JSON.stringify({ pid: "1" }) }, true],
    ["a byte order mark", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: `\uFEFF${JSON.stringify({ pid: 3 })}` }, true],
    ["bytes that are not UTF-8", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) }, true],
    ["a name with dashes and dots", { path: "/api/agents/-lead.x-y/heartbeat", headers: { ...json, ...auth }, body: "{}" }, true],
    ["a name of 300 characters (refused by the schema)", { path: `/api/agents/${"n".repeat(300)}/heartbeat`, headers: { ...json, ...auth }, body: "{}" }, true],
    ["a name of 1,100 characters", { path: `/api/agents/${"n".repeat(1100)}/heartbeat`, headers: { ...json, ...auth }, body: "{}" }, false],
    ["a percent-encoded name", { path: "/api/agents/caf%C3%A9/heartbeat", headers: { ...json, ...auth }, body: "{}" }, false],
    ["a raw # in the name (fastify's router ends the path there)", { path: "/api/agents/build#3/heartbeat", headers: { ...json, ...auth }, body: "{}" }, false],
    ["a backslash in the name", { path: "/api/agents/a\\b/heartbeat", headers: { ...json, ...auth }, body: "{}" }, true],
    ["a query string", { path: "/api/agents/alpha/heartbeat?x=1", headers: { ...json, ...auth }, body: "{}" }, false],
    ["a trailing slash", { path: "/api/agents/alpha/heartbeat/", headers: { ...json, ...auth }, body: "{}" }, false],
    ["no body, no content type", { path: "/api/agents/gamma/heartbeat", headers: { ...auth } }, false],
    ["an empty JSON body", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: "" }, false],
    ["a chunked body", { path: "/api/agents/delta/heartbeat", headers: { ...json, ...auth }, body: JSON.stringify({ pid: 9 }), chunked: true }, false],
    ["text/plain", { path: "/api/agents/alpha/heartbeat", headers: { "content-type": "text/plain", ...auth }, body: "{}" }, false],
    ["a body over the limit", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: JSON.stringify({ message: "x".repeat(20_000) }) }, false],
    ["a cross-site Origin", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth, origin: "http://evil.example" }, body: "{}" }, false],
    ["a foreign Host", { path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth, host: "evil.example" }, body: "{}" }, false],
    ["GET", { method: "GET", path: "/api/agents/alpha/heartbeat", headers: { ...auth } }, false],
    ["PUT", { method: "PUT", path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: "{}" }, false],
  ];
  if (token) {
    cases.push(["no token", { path: "/api/agents/alpha/heartbeat", headers: json, body: "{}" }, false]);
    cases.push(["a wrong token", { path: "/api/agents/alpha/heartbeat", headers: { ...json, authorization: "Bearer wrong-token-wrong-token" }, body: "{}" }, false]);
  }

  for (const [what, r, fastPath] of cases) {
    it(`${what}: the same answer and the same rows both ways${fastPath ? " (answered by the fast path)" : " (left to fastify)"}`, async () => {
      const { tookFastPath } = await both(r);
      expect(tookFastPath).toBe(fastPath);
    });
  }

  it("generated bodies: the same answers and rows both ways", async () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 2 ** 32 }), fc.double(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null),
      fc.constantFrom("ok", "up", "error", "down", "sideways"), fc.dictionary(fc.constantFrom("node", "step", "startedAt", "error", "z"), fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.constant(null)), { maxKeys: 4 }));
    const key = fc.constantFrom("pid", "host", "version", "rssBytes", "cpuPercent", "eventLoopLagMs", "latencyMs", "status", "message", "activity", "other");
    const body = fc.oneof(
      fc.dictionary(key, value, { maxKeys: 5 }).map((o) => JSON.stringify(o)),
      fc.string({ maxLength: 30 }),
      fc.json({ maxDepth: 2 }),
    );
    const name = fc.constantFrom("p1", "p2", "p3", "a.b-c_d", "Ünï", " lead", "x".repeat(65));
    let taken = 0;
    await fc.assert(fc.asyncProperty(name, body, async (n, b) => {
      if (b.length === 0) return;
      const { tookFastPath } = await both({ path: `/api/agents/${encodeURIComponent(n)}/heartbeat`, headers: { ...json, ...auth }, body: b });
      if (tookFastPath) taken++;
    }), { numRuns: 150, seed: 12 });
    expect(taken).toBeGreaterThan(50);
  });

  it("the request metrics count the pushes either path answered", async () => {
    const metrics = async (s: TestServer) => (await (await fetch(`${s.url}/metrics`)).text())
      .split("\n").filter((l) => l.startsWith("bg_agents_http_request_seconds_count") && l.includes("/api/agents/:name/heartbeat"));
    expect(await metrics(fast)).toEqual(await metrics(slow));
    expect((await metrics(fast)).length).toBeGreaterThan(0);
  });

  it("a client that goes away in the middle of its body writes nothing, and the next push is answered", async () => {
    const before = snapshot(fast.store);
    await new Promise<void>((resolve) => {
      const req = request(`${fast.url}/api/agents/half/heartbeat`, { method: "POST", headers: { ...json, ...auth, "content-length": 100 } });
      req.on("error", () => resolve());
      req.write('{"pid": 1', () => setTimeout(() => req.destroy(), 50));
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(snapshot(fast.store)).toBe(before);
    expect((await both({ path: "/api/agents/half/heartbeat", headers: { ...json, ...auth }, body: "{}" })).fast.status).toBe(202);
  });

  it("a refused request wrote nothing (the snapshots before and after are equal)", async () => {
    const before = snapshot(fast.store);
    await both({ path: "/api/agents/alpha/heartbeat", headers: { ...json, ...auth }, body: JSON.stringify({ pid: -1 }) });
    expect(snapshot(fast.store)).toBe(before);
  });
}

afterAll(() => closeServers());

describe("the fast push path answers as the fastify route does", () => {
  describe("no token (loopback)", () => pairTests({}));
  describe("with API_TOKEN", () => pairTests({ API_TOKEN: "the-token-of-this-test-0123" }, "the-token-of-this-test-0123"));
});

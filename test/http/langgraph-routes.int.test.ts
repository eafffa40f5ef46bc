/**
 * The LangGraph routes on the real server without a LangGraph server to talk to: the watcher off
 * (no LANGGRAPH_API_URL), a server that is down (one log line however often the page asks, a 502
 * for a cancel, no crash), bad ids and bodies refused with 400 before anything is sent, and the
 * token rule of every state-changing route.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { LangGraphWatcher } from "../../src/langgraph-watch/index.js";
import { freePort } from "../helpers/langgraph-dev.js";
import { captureLogger } from "../helpers/log-capture.js";
import { closeStores } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { closeServers, startTestServer } from "./helpers.js";

const TOKEN = "a-token-of-sixteen-chars";

afterEach(async () => {
  await closeServers();
  await closeStores();
  removeTempDirs();
});

const post = (url: string, body: unknown, token?: string) => fetch(url, {
  method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
});

describe("GET /api/langgraph/runs and the cancel route", () => {
  it("say the watcher is off when LANGGRAPH_API_URL is unset", async () => {
    const t = await startTestServer();
    const r = await fetch(`${t.url}/api/langgraph/runs`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ enabled: false, note: expect.stringContaining("LANGGRAPH_API_URL") });
    const c = await post(`${t.url}/api/langgraph/threads/${randomUUID()}/runs/${randomUUID()}/cancel`, {});
    expect(c.status).toBe(404);
    expect(await c.json()).toMatchObject({ error: "LANGGRAPH_OFF" });
  });

  it("report a server that is down, log it once, and answer a cancel with 502", async () => {
    const port = await freePort(); // nothing listens there
    const { logger, entries } = captureLogger("dashboard-test");
    const watcher = new LangGraphWatcher({ apiUrl: `http://127.0.0.1:${port}`, stuckAfterMs: 60_000, pollMs: 0, logger });
    const t = await startTestServer({}, { langgraph: watcher });
    for (let i = 0; i < 3; i++) {
      const r = await fetch(`${t.url}/api/langgraph/runs`);
      expect(r.status).toBe(200);
      const body = await r.json() as Record<string, unknown>;
      expect(body).toMatchObject({ enabled: true, reachable: false, url: `http://127.0.0.1:${port}`, findings: [], lastOkAt: null });
      expect(body.error).toMatch(/ECONNREFUSED|fetch failed/);
    }
    const lines = entries.filter((e) => /LangGraph server/.test(e.message));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "warn", module: "langgraph-watch" });
    const c = await post(`${t.url}/api/langgraph/threads/${randomUUID()}/runs/${randomUUID()}/cancel`, {});
    expect(c.status).toBe(502);
    expect(await c.json()).toMatchObject({ error: "LANGGRAPH_UNREACHABLE" });
  });

  it("build the watcher from LANGGRAPH_API_URL (trailing slash dropped, LANGGRAPH_STUCK_AFTER's default)", async () => {
    const port = await freePort();
    const t = await startTestServer({ LANGGRAPH_API_URL: `http://127.0.0.1:${port}/` });
    const body = await (await fetch(`${t.url}/api/langgraph/runs`)).json() as { enabled: boolean; url: string; stuckAfterMs: number };
    expect(body).toMatchObject({ enabled: true, url: `http://127.0.0.1:${port}`, stuckAfterMs: 600_000 });
  });

  it("refuse bad ids, bad bodies and a missing token with 4xx before asking the server", async () => {
    const { logger, entries } = captureLogger("dashboard-test");
    const watcher = new LangGraphWatcher({ apiUrl: `http://127.0.0.1:${await freePort()}`, stuckAfterMs: 60_000, pollMs: 0, logger });
    const t = await startTestServer({ API_TOKEN: TOKEN }, { langgraph: watcher });
    const u = (thread: string, run: string) => `${t.url}/api/langgraph/threads/${encodeURIComponent(thread)}/runs/${encodeURIComponent(run)}/cancel`;
    const ok = randomUUID();
    const cases: Array<[string, unknown, string | undefined, number, RegExp]> = [
      [u(ok, ok), {}, undefined, 401, /Authorization: Bearer/],
      [u(ok, ok), {}, "wrong-token-wrong-token", 401, /Authorization: Bearer/],
      [u("not-a-uuid", ok), {}, TOKEN, 400, /UUID/],
      [u(ok, "../../threads"), {}, TOKEN, 400, /UUID/],
      [u(ok, ok), { mode: "kill" }, TOKEN, 400, /"interrupt" or "delete"/],
      [u(ok, ok), { mode: "delete", extra: 1 }, TOKEN, 400, /unknown field/],
    ];
    for (const [url, body, token, status, message] of cases) {
      const r = await post(url, body, token);
      expect(r.status, `${url} ${JSON.stringify(body)}`).toBe(status);
      expect(((await r.json()) as { message: string }).message).toMatch(message);
    }
    // none of these reached the LangGraph server (a request there would have failed and been logged)
    expect(entries.filter((e) => /LangGraph/.test(e.message))).toEqual([]);
  });
});

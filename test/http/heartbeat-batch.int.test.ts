/**
 * Group commit over HTTP against a real server and a real SQLite file: concurrent single pushes
 * are all stored (counted) before their 202s, and POST /api/heartbeats stores many agents per
 * request with one result per item; a bad item is refused alone, a bad body writes nothing.
 */
import { afterEach, describe, expect, it } from "vitest";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { closeServers, post, snapshot, startTestServer } from "./helpers.js";

afterEach(async () => {
  await closeServers();
  removeTempDirs();
});

describe("group commit over HTTP", () => {
  it("answers each concurrent push only once its heartbeat is stored, and loses none", async () => {
    const { url, store } = await startTestServer();
    const names = Array.from({ length: 20 }, (_, i) => `pushed-${i}`);
    const replies = await Promise.all(names.flatMap((n) => Array.from({ length: 5 }, () => post(`${url}/api/agents/${n}/heartbeat`, JSON.stringify({ pid: 7 })))));
    expect(replies.every((r) => r.status === 202 && r.body?.state === "active")).toBe(true);
    for (const n of names) expect(await store.getAgent(n)).toMatchObject({ heartbeats: 5, pid: 7, state: "active" });
  });

  it("POST /api/heartbeats takes a whole host's agents in one body", async () => {
    const { url, store } = await startTestServer();
    const heartbeats = Array.from({ length: 2000 }, (_, i) => ({ name: `host-agent-${i}`, pid: 1000 + i, host: "gateway-1", rssBytes: 1e6 }));
    const r = await post(`${url}/api/heartbeats`, JSON.stringify({ heartbeats }));
    expect(r).toMatchObject({ status: 202, body: { ok: true, stored: 2000 } });
    expect((await store.getRegisteredAgents()).filter((a) => a.host === "gateway-1" && a.heartbeats === 1)).toHaveLength(2000);
  });

  it("POST /api/heartbeats stores every valid item and reports each one, in order", async () => {
    const { url, store } = await startTestServer();
    await store.registerAgent("down");
    await store.updateAgentState("down", "stopped", "t");
    const r = await post(`${url}/api/heartbeats`, JSON.stringify({
      heartbeats: [
        { name: "a", pid: 1, host: "gw" },
        { name: "bad\nname" },
        { name: "b", status: "error", message: "disk full" },
        { name: "a", rssBytes: 5 },
        { name: "c", pid: -1 },
        { name: "down" },
        { pid: 3 },
      ],
    }));
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ ok: false, stored: 4 });
    const results = r.body!.results as Record<string, unknown>[];
    expect(results.map((x) => x.ok)).toEqual([true, false, true, true, false, true, false]);
    expect(results[1]).toMatchObject({ index: 1, name: "bad\nname", ok: false });
    expect(results[4]).toMatchObject({ index: 4, name: "c", ok: false, error: expect.stringMatching(/pid/) });
    expect(results[6]).toMatchObject({ index: 6, name: null, ok: false, error: expect.stringMatching(/name/) });
    expect(await store.getAgent("a")).toMatchObject({ heartbeats: 2, pid: 1, host: "gw", rssBytes: 5, state: "active" });
    expect(await store.getAgent("b")).toMatchObject({ state: "error", lastError: "disk full", errorCount: 1 });
    expect(await store.getAgent("down")).toMatchObject({ state: "active", stateReason: "heartbeat resumed" });
    expect(await store.getAgent("c")).toBeUndefined();
  });

  it("refuses a batch with no valid item, an empty one, or a body of the wrong shape, writing nothing", async () => {
    const { url, store } = await startTestServer();
    const before = snapshot(store);
    for (const body of [{ heartbeats: [{ name: "" }] }, { heartbeats: [] }, { heartbeats: "x" }, { beats: [] }, [1]]) {
      const r = await post(`${url}/api/heartbeats`, JSON.stringify(body));
      expect(r.status, JSON.stringify(body)).toBe(400);
    }
    const tooMany = await post(`${url}/api/heartbeats`, JSON.stringify({ heartbeats: Array.from({ length: 5001 }, (_, i) => ({ name: `n${i}` })) }));
    expect(tooMany).toMatchObject({ status: 400, body: { message: expect.stringMatching(/at most 5000/) } });
    expect(snapshot(store)).toBe(before);
  });
});

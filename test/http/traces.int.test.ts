/**
 * The traces in the dashboard: `GET /api/traces` on the real server (temp SQLite) returns the stored
 * run summaries and per-agent stats, refuses bad queries without writing; in real Chromium the
 * traces panel lists the runs with their LangSmith links (http(s) only, a hostile name as text).
 */
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/storage/index.js";
import { closeStores } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { launchChromium, skipBrowserTests } from "./browser.js";
import { closeServers, snapshot, startTestServer, type TestServer } from "./helpers.js";

declare const document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null; getAttribute(n: string): string | null; querySelector(s: string): { getAttribute(n: string): string | null } | null }> };

const run = (id: string, over: Partial<RunSummary> = {}): RunSummary => ({
  runId: id, traceId: id, project: "p", agent: "W1", name: "W1.cycle", status: "success", startedAt: Date.now() - 5000,
  endedAt: Date.now() - 4900, latencyMs: 100, error: null, link: `https://smith.example/o/t/projects/p/s/r/${id}`, ...over,
});

async function seed(t: TestServer) {
  await t.store.traces.saveRuns("p", [
    run("r1"),
    run("r2", { status: "error", error: "boom", startedAt: Date.now() - 3000 }),
    run("r3", { agent: "<img src=x onerror=alert(1)>", name: "evil.cycle", link: "javascript:alert(1)", startedAt: Date.now() - 1000 }),
  ], Date.now());
  await t.store.traces.refreshStats(3_600_000);
}

describe("GET /api/traces", () => {
  afterEach(async () => {
    await closeServers();
    await closeStores();
    removeTempDirs();
  });

  it("returns runs newest first with ISO times, per-agent stats, and filters", async () => {
    const t = await startTestServer();
    await seed(t);
    const res = await fetch(`${t.url}/api/traces`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { runs: Array<Record<string, unknown>>; stats: Array<Record<string, unknown>>; note: string | null };
    expect(body.runs.map((r) => r.runId)).toEqual(["r3", "r2", "r1"]);
    expect(body.runs[1]).toMatchObject({ agent: "W1", status: "error", error: "boom", latencyMs: 100, link: "https://smith.example/o/t/projects/p/s/r/r2" });
    expect(typeof body.runs[0]!.startedAt).toBe("string");
    expect(body.stats.find((s) => s.agent === "W1")).toMatchObject({ runs: 2, errors: 1, errorRate: 0.5 });
    const only = (await (await fetch(`${t.url}/api/traces?agent=W1&status=error&limit=5`)).json()) as { runs: unknown[] };
    expect(only.runs).toHaveLength(1);
  });

  it("refuses a bad query with 400 and writes nothing", async () => {
    const t = await startTestServer();
    await seed(t);
    const before = snapshot(t.store);
    for (const q of ["status=weird", "limit=0", "limit=abc", "nope=1"]) {
      const res = await fetch(`${t.url}/api/traces?${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { message: string }).message).toBeTruthy();
    }
    expect(snapshot(t.store)).toBe(before);
  });
});

describe.skipIf(skipBrowserTests())("traces panel in Chromium", () => {
  let t: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestServer();
    await seed(t);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await closeServers();
    await closeStores();
    removeTempDirs();
  });

  it("lists the runs with LangSmith links; a hostile name is text and a javascript: link is dropped", async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => (dialogs.push(d.message()), void d.dismiss()));
    await page.goto(t.url);
    const rows = () => page.evaluate(() => [...(document.querySelectorAll("#traces-runs tbody tr") as unknown as Array<{ getAttribute(n: string): string | null; textContent: string | null; querySelector(s: string): { getAttribute(n: string): string | null } | null }>)]
      .map((tr) => ({ run: tr.getAttribute("data-run"), text: tr.textContent, href: tr.querySelector("a")?.getAttribute("href") ?? null })));
    const got = await waitFor(async () => ((await rows()).length === 3 ? rows() : null), { message: "three runs in the traces panel" });
    expect(got.find((r) => r.run === "r2")).toMatchObject({ href: "https://smith.example/o/t/projects/p/s/r/r2" });
    expect(got.find((r) => r.run === "r2")!.text).toContain("boom");
    const evil = got.find((r) => r.run === "r3")!;
    expect(evil.text).toContain("<img src=x onerror=alert(1)>");
    expect(evil.href).toBeNull();
    const stats = await page.evaluate(() => [...(document.querySelectorAll("#traces-stats tbody tr") as unknown as Array<{ textContent: string | null }>)].map((r) => r.textContent));
    expect(stats.some((s) => s?.startsWith("W1") && s.includes("50.0%"))).toBe(true);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});

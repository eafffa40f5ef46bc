/**
 * The dashboard page in real Chromium: running agents (real child processes pushing heartbeats over
 * the API) are listed with the right colors; a killed agent turns stale without a reload; a hostile
 * agent name renders as text; a restart from the page without the API token is refused.
 */
import { hostname } from "node:os";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HeartbeatHealthAgent } from "../../src/agents/heartbeat/agent.js";
import { AGENT_STATES, STATE_LABELS, SYSTEM_KEYS } from "../../src/storage/index.js";
import { InstanceLock } from "../../src/supervisor/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { killChildren, spawnTs, type Child } from "../helpers/processes.js";
import { closeStores } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { launchChromium, skipBrowserTests } from "./browser.js";
import { closeServers, startTestServer, type TestServer } from "./helpers.js";

// page functions run in the browser; the project compiles without the DOM lib, so type them loosely
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;
declare function getComputedStyle(el: any): { backgroundColor: string };

const TOKEN = "browser-test-token-0123456789";
const XSS = "<img src=x onerror=alert(1)>";
const GREEN = "rgb(31, 136, 61)"; // --active
const AMBER = "rgb(217, 119, 6)"; // --stale

describe.skipIf(skipBrowserTests())("dashboard in Chromium", () => {
  let t: TestServer;
  let monitor: HeartbeatHealthAgent;
  let monitorRun: Promise<void>;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const children = new Map<string, Child>();

  /** The state and badge color of an agent's row, as the page shows it. */
  const row = (name: string) =>
    page.evaluate((n) => {
      const tr = [...document.querySelectorAll("#agent-table tbody tr")].find((r) => r.dataset.agent === n);
      const b = tr?.querySelector(".badge");
      return tr && b ? { state: tr.dataset.state, label: b.textContent, color: getComputedStyle(b).backgroundColor } : null;
    }, name);

  beforeAll(async () => {
    t = await startTestServer({ API_TOKEN: TOKEN, HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "1.5" });
    monitor = new HeartbeatHealthAgent({ config: t.config, store: t.store, logger: captureLogger().logger });
    monitorRun = monitor.start();
    for (const name of ["agent-a", "agent-b", XSS]) {
      const c = spawnTs("test/http/fixtures/push-agent.ts", { args: [t.url, name], env: { API_TOKEN: TOKEN, PUSH_INTERVAL_MS: "200" } });
      children.set(name, c);
      await c.waitForLine(/pushed 202/);
    }
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(t.url);
    await page.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
  });

  afterAll(async () => {
    await browser?.close();
    await killChildren();
    await monitor?.stop();
    await monitorRun?.catch(() => undefined);
    await closeServers();
    await closeStores();
    removeTempDirs();
  });

  it("lists the running agents in green with their state in words", async () => {
    for (const name of ["agent-a", "agent-b", XSS, "HeartbeatHealthAgent"]) {
      const r = await waitFor(async () => {
        const v = await row(name);
        return v?.state === "active" ? v : undefined;
      }, { message: `${name} never listed as active` });
      expect(r).toEqual({ state: "active", label: "Active", color: GREEN });
    }
    await waitFor(async () => (await page.textContent("#summary-line")) === "Active agents: 4/4");
  });

  it("offers the server's states, worded by the server's labels, in the state filter", async () => {
    const options = await page.evaluate(() => [...document.querySelectorAll("#filter-state option")].map((o) => [o.value, o.textContent]));
    expect(options).toEqual([["", "all"], ...AGENT_STATES.map((s) => [s, STATE_LABELS[s]])]);
  });

  it("renders a hostile agent name as text: no img element, no dialog", async () => {
    expect(await row(XSS)).not.toBeNull();
    const cellText = await page.evaluate((n) => [...document.querySelectorAll("#agent-table tbody tr")].find((r) => r.dataset.agent === n)?.querySelector(".name-link")?.textContent, XSS);
    expect(cellText).toBe(XSS);
    expect(await page.locator("img").count()).toBe(0);
    // open its detail view too: the name appears in more places there
    await page.evaluate((n) => [...document.querySelectorAll("#agent-table tbody tr")].find((r) => r.dataset.agent === n)?.querySelector(".name-link")?.click(), XSS);
    await waitFor(async () => (await page.textContent("#detail h2")) === XSS);
    expect(await page.locator("img").count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it("turns a killed agent stale (amber) without a reload", async () => {
    const b = children.get("agent-b")!;
    b.kill("SIGKILL");
    await b.exited;
    const r = await waitFor(async () => {
      const v = await row("agent-b");
      return v?.state === "stale" ? v : undefined;
    }, { timeoutMs: 20_000, message: "agent-b never turned stale on the page" });
    expect(r).toEqual({ state: "stale", label: "Inactive (stale)", color: AMBER });
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await row("agent-a")).toMatchObject({ state: "active" });
  });

  it("refuses a restart from the page without the API token, and accepts it with the token", async () => {
    await page.evaluate(() => [...document.querySelectorAll("#agent-table tbody tr")].find((r) => r.dataset.agent === "agent-a")?.querySelector(".name-link")?.click());
    await waitFor(async () => (await page.textContent("#detail h2")) === "agent-a");
    await page.click("#restart");
    await waitFor(async () => /Restart refused \(401\)/.test((await page.textContent("#action-msg")) ?? ""), { message: "no refusal shown" });
    expect((await t.store.getAgent("agent-a"))?.restartRequestedAt).toBeNull();

    await page.fill("#token", TOKEN);
    await page.press("#token", "Enter");
    await page.locator("#token").blur();
    // with the token but no supervisor running, nothing would serve it: refused, with the reason
    await page.click("#restart");
    await waitFor(async () => /Restart refused \(409\): No supervisor is running/.test((await page.textContent("#action-msg")) ?? ""), { message: "no 409 shown" });
    expect((await t.store.getAgent("agent-a"))?.restartRequestedAt).toBeNull();

    // this process plays the running supervisor of agent-a (the lock and the record `bg-agents start` keeps)
    const lock = InstanceLock.acquire(t.config.databasePath);
    try {
      await t.store.fleet.setSystemState(SYSTEM_KEYS.supervisor, { pid: process.pid, host: hostname(), startedAt: Date.now(), agents: ["agent-a"], children: [] });
      await page.click("#restart");
      await waitFor(async () => /Restart of agent-a requested/.test((await page.textContent("#action-msg")) ?? ""), { message: "restart with token not accepted" });
      expect((await t.store.getAgent("agent-a"))?.restartRequestedAt).not.toBeNull();
    } finally {
      lock.release();
    }
  });
});

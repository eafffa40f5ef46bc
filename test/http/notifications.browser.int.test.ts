/**
 * The detail view in real Chromium shows an agent's notification history (as text) and silences
 * it for an hour with a click; the silence is listed with a button that ends it.
 */
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/http/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { launchChromium, skipBrowserTests } from "./browser.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const XSS = "<img src=x onerror=alert(1)>";

describe.skipIf(skipBrowserTests())("notifications in the dashboard detail", () => {
  let browser: Browser;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await server?.close();
    await closeStores();
    removeTempDirs();
  });

  it("lists what was sent about the agent and silences it from the page", async () => {
    const dir = makeTempDir("bga-notify-ui-");
    const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), DASHBOARD_PORT: "0" });
    const store = await openTestStore({ path: config.databasePath });
    await store.updateHeartbeat("worker-1");
    await store.notify.commitPlan([
      { channel: "webhook:hooks.example#12345678", key: "bg-stale-1-1", event: "stale", agents: ["worker-1"], payload: { title: `worker-1 is stale ${XSS}` } },
      { channel: "webhook:hooks.example#12345678", key: "bg-stale-2-2", event: "stale", agents: ["other"], payload: { title: "other is stale" } },
    ], { cursor: 2, state: null, tickAt: Date.now() });
    server = await startServer({ store, config, logger: captureLogger().logger, livePollMs: 100, sampleIntervalMs: 5_000 });
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => void (dialogs.push(d.message()), d.dismiss()));
    await page.goto(`${server.url}/#agent=worker-1`);
    await waitFor(async () => (await page.locator("#notifications tbody tr").count()) === 1, { message: "the deliveries table never showed worker-1's one message" });
    const cells = await page.evaluate(() => [...document.querySelectorAll("#notifications tbody td")].map((td: any) => td.textContent));
    expect(cells.slice(1)).toEqual(["webhook:hooks.example#12345678", "stale", "pending", `worker-1 is stale ${XSS}`]);
    await page.click("#silence");
    await waitFor(async () => (await page.locator("#notifications .silences li").count()) === 1, { message: "the silence never showed" });
    const silences = await store.notify.activeSilences();
    expect(silences.map((s) => [s.pattern, s.reason])).toEqual([["worker-1", "from the dashboard"]]);
    expect(silences[0]!.until - silences[0]!.createdAt).toBe(3_600_000);
    await page.click("#notifications .silences button");
    await waitFor(async () => (await store.notify.activeSilences()).length === 0, { message: "End silence did not end it" });
    await waitFor(async () => (await page.locator("#silence").count()) === 1);
    expect(dialogs).toEqual([]);
  });
});

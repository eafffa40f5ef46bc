/**
 * The detail view in real Chromium shows an agent's pings: a start + success paired by rid with its
 * run time, a failure with its exit status, and each message as text (a hostile body stays text).
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/http/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { launchChromium, skipBrowserTests } from "./browser.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;

const XSS = "<img src=x onerror=alert(1)>";

describe.skipIf(skipBrowserTests())("pings in the dashboard detail", () => {
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

  it("lists the pings with run time, exit status and the message as text", async () => {
    const dir = makeTempDir("bga-ping-ui-");
    const clock = new ManualClock(Date.now());
    const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), DASHBOARD_PORT: "0", HEARTBEAT_INTERVAL: "10", STALE_THRESHOLD: "60" });
    const store = await openTestStore({ path: config.databasePath, clock });
    server = await startServer({ store, config, logger: captureLogger().logger, clock, livePollMs: 100, sampleIntervalMs: 5_000 });
    // async: the server runs in this process
    const curl = (...args: string[]) => promisify(execFile)("curl", ["-fsS", "-m", "10", "--retry", "5", "-o", "/dev/null", ...args]);
    const rid = randomUUID();
    await curl(`${server.url}/ping/cronjob/start?rid=${rid}&create=1`);
    clock.advance(2500);
    await curl("--data-raw", `done ${XSS}`, `${server.url}/ping/cronjob?rid=${rid}`);
    await curl("--data-raw", "disk full", `${server.url}/ping/cronjob/4`);

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on("dialog", (d) => void (dialogs.push(d.message()), d.dismiss()));
    await page.goto(`${server.url}/#agent=cronjob`);
    await waitFor(async () => (await page.locator("#pings tbody tr").count()) === 3, { message: "the pings table never showed 3 rows" });
    const rows = await page.evaluate(() => [...document.querySelectorAll("#pings tbody tr")].map((tr: any) => [...tr.querySelectorAll("td")].slice(1).map((td: any) => td.textContent)));
    expect(rows).toEqual([["fail (exit 4)", "", "disk full"], ["success", "2.5 s", `done ${XSS}`], ["start", "", ""]]);
    expect(await page.locator("#pings img").count()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});

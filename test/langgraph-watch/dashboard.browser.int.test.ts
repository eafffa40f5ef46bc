/**
 * The LangGraph panel of the real dashboard in Chromium, against the real `langgraphjs dev`: a run
 * stuck in its node (the watcher's clock is moved past the bound) and a run that failed are listed
 * next to our agents; Cancel without the API token is refused, with it the run is interrupted and
 * leaves the list. Nothing the server sends becomes markup (the failed run's message is hostile;
 * the JS server keeps no error text on the thread, so the row says only that the run failed).
 */
import { Client } from "@langchain/langgraph-sdk";
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock/index.js";
import { LangGraphWatcher } from "../../src/langgraph-watch/index.js";
import { startDevServer, stopDevServers } from "../helpers/langgraph-dev.js";
import { captureLogger } from "../helpers/log-capture.js";
import { closeStores } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { launchChromium, skipBrowserTests } from "../http/browser.js";
import { closeServers, startTestServer } from "../http/helpers.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

const TOKEN = "a-token-of-sixteen-chars";
const HOSTILE = "<img src=x onerror=window.__pwned=1> the tool failed";
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await closeServers();
  await stopDevServers();
  await closeStores();
  removeTempDirs();
}, 60_000);

describe.skipIf(skipBrowserTests())("the dashboard's LangGraph panel", () => {
  it("lists a stuck and a failed run, and cancels the stuck one with the token", async () => {
    const dev = await startDevServer({ graphs: { blocking: "./test/langgraph-watch/fixtures/blocking-graph.ts:graph" } });
    const sdk = new Client({ apiUrl: dev.url, apiKey: null });
    const stuckThread = await sdk.threads.create();
    const failedThread = await sdk.threads.create();
    const marker = join(dev.dir, "stuck.started");
    const stuckRun = await sdk.runs.create(stuckThread.thread_id, "blocking", { input: { sleepMs: 600_000, marker } });
    const failedRun = await sdk.runs.create(failedThread.thread_id, "blocking", { input: { sleepMs: 1, failWith: HOSTILE } });
    await waitFor(() => existsSync(marker), { timeoutMs: 60_000 });
    await sdk.runs.join(failedThread.thread_id, failedRun.run_id);
    expect((await sdk.runs.get(failedThread.thread_id, failedRun.run_id)).status).toBe("error");

    // 31 s ahead of the real clock: the sleeping run is past the 30 s bound
    const clock = { now: () => Date.now() + 31_000, sleep: systemClock.sleep };
    const watcher = new LangGraphWatcher({ apiUrl: dev.url, stuckAfterMs: 30_000, pollMs: 0, logger: captureLogger("dashboard-test").logger, clock });
    const api = await startTestServer({ API_TOKEN: TOKEN }, { langgraph: watcher });

    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(api.url);
    const stuckRow = `#langgraph tr[data-kind="stuck-run"][data-run="${stuckRun.run_id}"]`;
    await page.waitForSelector(stuckRow, { timeout: 15_000 });
    const failedRow = `#langgraph tr[data-kind="errored-run"][data-thread="${failedThread.thread_id}"]`;
    await page.waitForSelector(failedRow);
    expect(await page.textContent(`${failedRow} td:nth-child(3)`)).toBe(failedRun.run_id);
    expect(await page.textContent(`${failedRow} td:nth-child(7)`)).toBe("the thread's last run failed");
    const shown = await page.evaluate((sel: string) => ({
      cells: [...document.querySelectorAll(`${sel} td`)].map((td: any) => td.textContent),
      afterAgents: document.getElementById("agents").nextElementSibling?.id,
      injected: document.querySelectorAll("#langgraph img, #langgraph script").length,
      pwned: window.__pwned ?? null,
    }), stuckRow);
    expect(shown.cells.slice(0, 5)).toEqual(["stuck", stuckThread.thread_id, stuckRun.run_id, "blocking", "running"]);
    expect(shown.cells[6]).toMatch(/without progress/);
    expect(shown.afterAgents).toBe("langgraph");
    expect(shown.injected).toBe(0);
    expect(shown.pwned).toBeNull();

    // no token typed: refused, and the run goes on
    await page.click(`${stuckRow} button[data-action="cancel"]`);
    await page.waitForFunction(() => /refused \(401\)/.test(document.getElementById("langgraph-msg").textContent));
    expect((await sdk.runs.get(stuckThread.thread_id, stuckRun.run_id)).status).toBe("running");

    await page.fill("#token", TOKEN);
    await page.dispatchEvent("#token", "change");
    await page.click(`${stuckRow} button[data-action="cancel"]`);
    await page.waitForFunction(() => /cancelled \(interrupted\)/.test(document.getElementById("langgraph-msg").textContent), undefined, { timeout: 15_000 });
    await page.waitForSelector(stuckRow, { state: "detached" });
    expect((await sdk.runs.get(stuckThread.thread_id, stuckRun.run_id)).status).toBe("interrupted");
  }, 240_000);
});

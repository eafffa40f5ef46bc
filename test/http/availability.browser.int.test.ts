/**
 * The availability strip and the uPlot charts in real Chromium: a history with a stale half hour
 * (a silence inside it) written through the store, then the table's strip, the detail view's
 * figures, the charts' canvases, their legend with exact values under the cursor, and drag-zoom.
 */
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/http/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { launchChromium, skipBrowserTests } from "./browser.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare function getComputedStyle(el: any): { backgroundColor: string };

const MIN = 60_000;
const RED = "rgb(207, 34, 46)"; // --error
const GREEN = "rgb(31, 136, 61)"; // --active

describe.skipIf(skipBrowserTests())("availability and charts in Chromium", () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const dir = makeTempDir("bga-avail-ui-");
    const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), DASHBOARD_PORT: "0" });
    // the history is written at past times; the server reads it at the real now
    const clock = new ManualClock(Date.now() - 120 * MIN);
    const store = await openTestStore({ path: config.databasePath, clock });
    await store.updateHeartbeat("web");
    await clock.advance(60 * MIN);
    await store.markStaleAgents(1000);
    await clock.advance(15 * MIN);
    await store.notify.addSilence({ pattern: "web", untilMs: 10 * MIN });
    await clock.advance(15 * MIN);
    await store.updateHeartbeat("web");
    await clock.advance(30 * MIN);
    server = await startServer({ store, config, logger: captureLogger("avail-ui").logger, sampleIntervalMs: 100, livePollMs: 100 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // a CSP refusal or a script error shows up here
    // (failed loads are counted by their response below: the favicon request has none and is no error of ours)
    page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) pageErrors.push(m.text()); });
    page.on("pageerror", (e) => pageErrors.push(e.message));
    page.on("response", (r) => { if (r.status() >= 400) pageErrors.push(`${r.status()} ${new URL(r.url()).pathname}`); });
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.loaded === "true");
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await closeStores();
    removeTempDirs();
  });

  it("shows a strip of 48 bars in the agent's row, the outage in red, and the 24 h uptime", async () => {
    const cell = await page.waitForFunction(() => {
      const td = document.querySelector('#agent-table tr[data-agent="web"] td.availability');
      const bars = td ? [...td.querySelectorAll(".bar")] : [];
      return bars.length ? { states: bars.map((b: any) => b.dataset.state), colours: bars.map((b: any) => getComputedStyle(b).backgroundColor), pct: td.querySelector(".uptime-pct").textContent } : null;
    }).then(async (h) => (await h.jsonValue())!);
    expect(cell.states).toHaveLength(48);
    expect(cell.states.slice(0, 40).every((s: string) => s === "none")).toBe(true);
    const down = cell.states.indexOf("down");
    expect(down).toBeGreaterThan(40);
    expect(cell.colours[down]).toBe(RED);
    expect(cell.colours[47]).toBe(GREEN);
    // up 90 min + the seconds since, down 20 min
    expect(cell.pct).toMatch(/^8[12]\.\d\d %$/);
  });

  it("shows uptime per window, the last outage, MTTR and the strip in the detail view", async () => {
    await page.click('#agent-table tr[data-agent="web"] .name-link');
    const facts = await page.waitForFunction(() => {
      const s = document.querySelector("#availability");
      return s ? {
        day: s.querySelector('dd[data-window="24h"]').textContent,
        month: s.querySelector('dd[data-window="30d"]').textContent,
        outage: s.querySelector("#last-outage").textContent,
        mttr: s.querySelector("#mttr").textContent,
        bars: s.querySelectorAll(".strip .bar").length,
      } : null;
    }).then(async (h) => (await h.jsonValue())!);
    expect(facts.day).toMatch(/^8[12]\.\d\d % \(1 outage\)$/);
    expect(facts.month).toBe(facts.day);
    expect(facts.outage).toMatch(/lasted 30m 0s$/);
    expect(facts.mttr).toBe("30m 0s");
    expect(facts.bars).toBe(48);
  });

  it("draws the performance charts with uPlot: canvas, legend with exact values under the cursor, drag to zoom", async () => {
    await page.waitForFunction(() => Number(document.querySelector("#chart-db")?.dataset.points ?? 0) >= 3, undefined, { timeout: 20_000 });
    const before = await page.evaluate(() => ({
      canvases: document.querySelectorAll("#perf .uplot canvas").length,
      legend: [...document.querySelectorAll("#chart-db .u-legend .u-series th")].map((t: any) => t.textContent.trim()),
      svg: document.querySelectorAll("#perf svg.chart").length,
    }));
    expect(before.canvases).toBe(4);
    expect(before.legend).toContain("read all agents (server)");
    expect(before.svg).toBe(0);

    const box = (await page.locator("#chart-db .u-over").boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
    const value = await page.waitForFunction(() => {
      const v = document.querySelectorAll("#chart-db .u-legend .u-series")[1]?.querySelector(".u-value")?.textContent;
      return v && v !== "–" ? v : null;
    }).then(async (h) => (await h.jsonValue())!);
    expect(value).toMatch(/^\d+(\.\d+)? ?$/);

    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    expect(await page.evaluate(() => document.querySelector("#chart-db").dataset.zoomed)).toBe("true");
    await page.dblclick("#chart-db .u-over");
    expect(await page.evaluate(() => document.querySelector("#chart-db").dataset.zoomed)).toBe("false");
    expect(pageErrors).toEqual([]);
  });
});

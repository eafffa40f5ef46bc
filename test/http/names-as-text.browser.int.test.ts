/**
 * Generated hostile names, hosts and versions (fast-check samples of markup, quotes, unicode),
 * pushed through the API and shown by the real dashboard in Chromium: every one renders as text
 * (the row's name is exactly the string) and none adds an element or runs a script.
 */
import fc from "fast-check";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { closeStores } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { launchChromium, skipBrowserTests } from "./browser.js";
import { closeServers, post, startTestServer } from "./helpers.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
declare const document: any;
declare const window: any;

let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await closeServers();
  await closeStores();
  removeTempDirs();
});

const markup = fc.oneof(
  fc.constantFrom("<img src=x onerror=window.__pwned=1>", "<script>window.__pwned=1</script>", "\"><svg onload=window.__pwned=1>", "'><b>x</b>", "&lt;b&gt;", "<iframe src=javascript:window.__pwned=1>"),
  fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom("<b>", "</td>", "<a href=javascript:window.__pwned=1>", "&amp;", "\"", "'"), fc.string({ maxLength: 10 })).map((p) => p.join("")),
);

describe.skipIf(skipBrowserTests())("names shown as text (fast-check samples in Chromium)", () => {
  it("every accepted hostile name, host and version renders as its text and injects nothing", async () => {
    const { url } = await startTestServer();
    const accepted: string[] = [];
    for (const [name, label] of fc.sample(fc.tuple(markup, markup), { numRuns: 40, seed: 11 })) {
      const r = await post(`${url}/api/agents/${encodeURIComponent(name)}/heartbeat`, JSON.stringify({ host: label, version: label.slice(0, 64), message: label, status: "error" }));
      expect(r.status).toBeLessThan(500);
      if (r.status === 202 && !accepted.includes(name)) accepted.push(name);
    }
    expect(accepted.length).toBeGreaterThan(20);
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction((n: number) => document.querySelectorAll("#agent-table tbody tr[data-agent]").length >= n, accepted.length, { timeout: 15_000 });
    const shown = await page.evaluate(() => ({
      names: [...document.querySelectorAll("#agent-table tbody tr[data-agent]")].map((r: any) => r.querySelector(".name-link")?.textContent),
      injected: document.querySelectorAll("#agent-table img, #agent-table script, #agent-table svg, #agent-table iframe, #agent-table b, #agent-table a[href^='javascript']").length,
      pwned: window.__pwned ?? null,
    }));
    expect(shown.injected).toBe(0);
    expect(shown.pwned).toBeNull();
    expect([...shown.names].sort()).toEqual([...accepted].sort());
  }, 60_000);
});

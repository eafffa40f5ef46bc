/**
 * Regenerates docs/screenshots/dashboard-*.png (run: `npx tsx test/http/screenshots.ts`): a small
 * fleet pushing heartbeats over the API, the monitor marking a silent agent stale, and one agent's
 * detail view, and one with the availability strip over a day of history written beforehand at past
 * times. Not a test; needs /usr/bin/chromium.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HeartbeatHealthAgent } from "../../src/agents/heartbeat/agent.js";
import { loadConfig } from "../../src/config/index.js";
import { startServer } from "../../src/http/index.js";
import { closeLogger, createLogger } from "../../src/logging/index.js";
import { openStore, type StateStore } from "../../src/storage/index.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { launchChromium } from "./browser.js";

declare const document: { body: { dataset: Record<string, string> }; querySelector(s: string): { dataset: Record<string, string> } | null };

const OUT = join(import.meta.dirname, "../../docs/screenshots");
const dir = mkdtempSync(join(tmpdir(), "bga-shots-"));
const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), HEARTBEAT_INTERVAL: "1", STALE_THRESHOLD: "4", DASHBOARD_PORT: "0" });
const quiet = createLogger({ agentName: "shots", level: "error", console: false });
const fleet = ["ingest-worker", "report-builder", "email-sender", "summarizer", "crawler-eu", "crawler-us"];
await writeHistory();
const store = await openStore(config);
const server = await startServer({ store, config, logger: quiet, sampleIntervalMs: 1000, livePollMs: 250 });
const monitor = new HeartbeatHealthAgent({ config, store, logger: createLogger({ agentName: config.agentName, level: "info", dir: config.logDir, console: false }) });
const monitorRun = monitor.start();

const silenced = new Set<string>();
const push = (name: string, body: Record<string, unknown>) =>
  fetch(`${server.url}/api/agents/${encodeURIComponent(name)}/heartbeat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
let tick = 0;
const timer = setInterval(() => {
  tick++;
  fleet.forEach((name, i) => {
    if (silenced.has(name)) return;
    void push(name, { status: "ok", pid: 41000 + i * 17, host: i % 2 ? "worker-b" : "worker-a", rssBytes: (60 + i * 15 + (tick % 5)) * 2 ** 20, cpuPercent: 1 + ((tick + i) % 7) * 0.8, latencyMs: 0.4 + ((tick * (i + 1)) % 9) / 10 });
  });
}, 500);

const agentLog = createLogger({ agentName: "ingest-worker", level: "info", dir: config.logDir, console: false });
const log = agentLog.child({ module: "ingest" });
log.info("cycle 41 done: 120 documents ingested");
log.warn("source api.example.com slow: 2.4s");
log.error("fetch failed: ECONNRESET (retry 1/3)");
log.info("cycle 42 done: 118 documents ingested");
await closeLogger(agentLog);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
await sleep(1500);
await push("ingest-worker", { status: "error", message: "fetch failed: ECONNRESET talking to api.example.com" });
await sleep(1500);
await push("ingest-worker", { status: "ok", message: "recovered after retry" });
await store.recordError("report-builder", "template 'weekly' missing field <owner>");
await sleep(9000);

const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
try {
  await page.goto(server.url);
  await page.waitForFunction(() => document.body.dataset.loaded === "true");
  await sleep(1500);
  await page.screenshot({ path: join(OUT, "dashboard-normal.png"), fullPage: true });

  silenced.add("crawler-eu");
  await page.waitForFunction(() => document.querySelector('tr[data-agent="crawler-eu"]')?.dataset.state === "stale", undefined, { timeout: 30_000 });
  await sleep(1200);
  await page.screenshot({ path: join(OUT, "dashboard-stale.png"), fullPage: true });

  await page.click('tr[data-agent="crawler-us"] .name-link');
  await page.waitForFunction(() => document.querySelector("#detail")?.dataset.agent === "crawler-us" && document.querySelector("#availability") !== null);
  await sleep(800);
  await page.screenshot({ path: join(OUT, "dashboard-availability.png"), fullPage: true });

  await page.click('tr[data-agent="ingest-worker"] .name-link');
  await page.waitForFunction(() => document.querySelector("#detail")?.dataset.agent === "ingest-worker");
  await sleep(800);
  await page.screenshot({ path: join(OUT, "dashboard-detail.png"), fullPage: true });
  console.log(`screenshots written to ${OUT}`);
} finally {
  clearInterval(timer);
  await browser.close();
  await monitor.stop();
  await monitorRun.catch(() => undefined);
  await server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

/** A day of history at past times, so the strips have something to show: outages, a silence, a stop. */
async function writeHistory(): Promise<void> {
  const MIN = 60_000;
  const clock = new ManualClock(Date.now() - 24 * 60 * MIN);
  const past = await openStore(config, { clock });
  for (const name of fleet) await past.updateHeartbeat(name);
  const at = async (min: number, f: () => Promise<unknown>) => {
    await clock.advance(min * MIN);
    await f();
  };
  await at(5 * 60, () => past.updateAgentState("crawler-us", "stale", "missed heartbeats"));
  await at(40, () => past.updateHeartbeat("crawler-us"));
  await at(3 * 60, () => past.updateAgentState("email-sender", "error", "SMTP 421"));
  await at(0, () => past.notify.addSilence({ pattern: "email-*", untilMs: 50 * MIN, reason: "provider maintenance" }));
  await at(70, () => past.updateAgentState("email-sender", "active", "SMTP back"));
  await at(4 * 60, () => past.updateAgentState("crawler-us", "failed", "exit 1 (3 restarts)"));
  await at(90, () => past.updateHeartbeat("crawler-us"));
  await at(2 * 60, () => past.updateAgentState("report-builder", "stopped", "deploy"));
  await at(20, () => past.updateHeartbeat("report-builder"));
  await at(3 * 60, () => past.updateAgentState("crawler-us", "stale", "missed heartbeats"));
  await at(25, () => past.updateHeartbeat("crawler-us"));
  // up to now, so the monitor finds every heartbeat fresh when it starts
  await clock.advance(Math.max(0, Date.now() - clock.now()));
  for (const name of fleet) await past.updateHeartbeat(name);
  await past.close();
}

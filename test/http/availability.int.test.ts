/**
 * Availability through the real server and CLI: a history written through the store (a stale
 * half hour with a silence inside it) read back from /api/availability, the agent's own route,
 * /metrics and `bg-agents status --json`.
 */
import { afterEach, describe, expect, it } from "vitest";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { join } from "node:path";
import { loadConfig } from "../../src/config/index.js";
import { startServer, type RunningServer } from "../../src/http/index.js";
import { captureLogger } from "../helpers/log-capture.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { parsePrometheus } from "./helpers.js";

const servers: RunningServer[] = [];

const MIN = 60_000;

afterEach(async () => {
  killCliChildren();
  for (const s of servers.splice(0)) await s.close();
  await closeStores();
  removeTempDirs();
});

interface View {
  windows: { window: string; uptimePercent: number | null; upMs: number; downMs: number; outages: number; mttrMs: number | null }[];
  lastOutage: { start: string; end: string | null; durationMs: number } | null;
  mttrMs: number | null;
  strip: { barMs: number; bars: { state: string }[] };
}

describe("availability over HTTP and the CLI", () => {
  it("serves uptime, the last outage, MTTR and the strip, leaving the silenced part of an outage out", async () => {
    const t0 = Date.now() - 2 * 60 * MIN;
    const clock = new ManualClock(t0);
    const dir = makeTempDir("bga-avail-");
    const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), DASHBOARD_PORT: "0" });
    const store = await openTestStore({ path: config.databasePath, clock });
    const server = await startServer({ store, config, logger: captureLogger("availability-test").logger, clock });
    servers.push(server);
    const { url } = server;
    await store.updateHeartbeat("web");
    await clock.advance(60 * MIN);
    await store.markStaleAgents(1000); // stale at t0 + 60 min
    await clock.advance(15 * MIN);
    await store.notify.addSilence({ pattern: "we*", untilMs: 10 * MIN }); // t0 + 75 → 85 min
    await clock.advance(15 * MIN);
    await store.updateHeartbeat("web"); // active again at t0 + 90 min
    await clock.advance(30 * MIN);

    const all = (await (await fetch(`${url}/api/availability`)).json()) as { agents: Record<string, View> };
    const one = (await (await fetch(`${url}/api/agents/web/availability`)).json()) as View;
    expect(all.agents.web).toEqual(one);
    // up 60 + 30 min, down 30 − 10 silenced = 20 min
    expect(one.windows.map((w) => [w.window, w.upMs, w.downMs, w.uptimePercent, w.outages, w.mttrMs])).toEqual([
      ["24h", 90 * MIN, 20 * MIN, 81.818, 1, 30 * MIN],
      ["7d", 90 * MIN, 20 * MIN, 81.818, 1, 30 * MIN],
      ["30d", 90 * MIN, 20 * MIN, 81.818, 1, 30 * MIN],
    ]);
    expect(one.lastOutage).toEqual({ start: new Date(t0 + 60 * MIN).toISOString(), end: new Date(t0 + 90 * MIN).toISOString(), durationMs: 30 * MIN, durationText: "30m 0s" });
    expect(one.strip.bars).toHaveLength(48);
    expect(one.strip.bars.filter((b) => b.state === "down").length).toBeGreaterThanOrEqual(1);
    expect(one.strip.bars.slice(0, 40).every((b) => b.state === "none")).toBe(true);
    expect((await fetch(`${url}/api/agents/nobody/availability`)).status).toBe(404);

    const metrics = parsePrometheus(await (await fetch(`${url}/metrics`)).text());
    const ratio = metrics.get("bg_agents_uptime_ratio")!.samples.find((s) => s.labels.agent === "web" && s.labels.window === "24h");
    expect(ratio?.value).toBeCloseTo(0.81818, 5);
    expect(metrics.get("bg_agents_mttr_seconds")!.samples.find((s) => s.labels.agent === "web")?.value).toBe(1800);
    expect(metrics.get("bg_agents_last_outage_seconds")!.samples.find((s) => s.labels.agent === "web")).toMatchObject({ value: 1800, labels: { ongoing: "false" } });

    // the CLI reads the same figures at its own (real) now: the last active stretch is a little longer
    const r = parseJson(await runCli(["status", "--json"], { cwd: dir, env: { DATABASE_PATH: config.databasePath } })) as { availability: Record<string, View> };
    const cli = r.availability.web!;
    expect(cli.lastOutage).toEqual(one.lastOutage);
    expect(cli.windows[0]!.downMs).toBe(20 * MIN);
    expect(cli.windows[0]!.uptimePercent).toBeGreaterThanOrEqual(81.818);
  });
});

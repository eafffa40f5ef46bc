/**
 * Issue 15's real-process test: an agent that leaks memory (test/fixtures/leaky-agent.ts) under a
 * real supervisor with short intervals and a small PERF_RSS_MB. `bg-agents status --json` shows it
 * `degrading` with a time to the limit; under PROACTIVE_RESTART=predicted the supervisor restarts it
 * before it gets there: a transition with the "predicted:" reason, a new pid, and the old process's
 * peak RSS (written by the agent itself) below the limit.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { describeFleet, killFleets, startFleet, waitActive } from "../helpers/fleet.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

afterEach(async () => {
  await killCliChildren();
  await killFleets();
  removeTempDirs();
});

const MB = 1024 * 1024;
const LIMIT_MB = 320;
const LEAKY = join(REPO_ROOT, "test/fixtures/leaky-agent.ts");

interface StatusAgent { name: string; pid: number; degrading: { signal: string; timeToLimitMs: number; soonestMs: number; text: string } | null }

describe("PROACTIVE_RESTART=predicted with a leaking agent", () => {
  it("shows it degrading with a time to the limit, then restarts it before it reaches the limit", async () => {
    const env = {
      HEARTBEAT_INTERVAL: "0.25", STALE_THRESHOLD: "5", PERF_RSS_MB: String(LIMIT_MB),
      PROACTIVE_RESTART: "predicted", PROACTIVE_RESTART_LEAD: "15", LEAK_MB_PER_CYCLE: "2",
    };
    const dir = makeTempDir("bga-leak-");
    const leakDir = join(dir, "leaks");
    mkdirSync(leakDir);
    const fleet = await startFleet({ dir, args: ["--no-dashboard", "--agent", `Leaky=${LEAKY}`], env: { ...env, LEAK_DIR: leakDir } });
    const first = (await waitActive(fleet, ["Leaky"])).get("Leaky")!;

    const degrading = await waitFor(async () => {
      const r = await runCli(["status", "--json"], { cwd: fleet.dir, env: fleet.env });
      const leaky = parseJson<{ agents: StatusAgent[] }>(r).agents.find((a) => a.name === "Leaky");
      // usually the first run; on a slow machine the first restart may come first, and the new run leaks too
      return leaky?.degrading ?? undefined;
    }, { timeoutMs: 90_000, intervalMs: 200, message: "Leaky shown degrading" }).catch(async (e) => {
      throw new Error(`${(e as Error).message}\n${await describeFleet(fleet)}`);
    });
    expect(degrading.signal).toBe("rss");
    expect(degrading.timeToLimitMs).toBeGreaterThan(0);
    expect(degrading.text).toMatch(/^degrading: RSS will reach the limit in about \d+ s/);

    const restart = await waitFor(async () => {
      const t = await fleet.store.getTransitions({ agent: "Leaky", limit: 100 });
      return t.find((x) => x.reason?.startsWith("predicted: RSS limit in"));
    }, { timeoutMs: 90_000, intervalMs: 200, message: "a predicted restart of Leaky" }).catch(async (e) => {
      throw new Error(`${(e as Error).message}\n${await describeFleet(fleet)}`);
    });
    expect(restart.to).toBe("recovering");
    const again = await waitFor(async () => {
      const a = (await waitActive(fleet, ["Leaky"])).get("Leaky")!;
      return a.pid !== first.pid ? a : undefined;
    }, { timeoutMs: 60_000, message: "Leaky active under a new pid" });
    expect(again.restarts).toBeGreaterThanOrEqual(1);

    const peak = JSON.parse(readFileSync(join(leakDir, `${first.pid}.json`), "utf8")) as { peakRss: number; leakedMb: number };
    expect(peak.leakedMb).toBeGreaterThan(10); // it did leak
    expect(peak.peakRss).toBeLessThan(LIMIT_MB * MB);
    // the old run ended cleanly between steps (SIGTERM), not killed: its own "stopped" came first
    const story = await fleet.store.getTransitions({ agent: "Leaky", limit: 100 });
    const i = story.findIndex((t) => t.id === restart.id);
    expect(story[i - 1]).toMatchObject({ to: "stopped", reason: "shutdown requested" });
    // nobody else was restarted on a prediction (the system agents' RSS is flat)
    const predicted = (await fleet.store.getTransitions({ limit: 1000 })).filter((t) => t.reason?.startsWith("predicted:"));
    expect(new Set(predicted.map((t) => t.agent))).toEqual(new Set(["Leaky"]));
    if (process.env.SHOW_FIGURES) console.log({ degrading, reason: restart.reason, peakMb: peak.peakRss / MB, leakedMb: peak.leakedMb });
  }, 240_000);
});

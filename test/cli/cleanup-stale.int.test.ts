/**
 * `bg-agents cleanup-stale` as a real process: --dry-run deletes nothing; the real run deletes only
 * stale/stopped/failed agents whose last heartbeat is older than --older-than, with their history.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

describe("bg-agents cleanup-stale", () => {
  it("lists with --dry-run, then removes only old stale/stopped/failed records", async () => {
    const dir = makeTempDir("bga-cleanup-");
    const path = join(dir, "state.db");
    const clock = new ManualClock(Date.now() - 2 * 3600_000); // two hours ago
    const store = await SharedState.open({ path, clock });
    for (const name of ["old-stale", "old-stopped", "old-failed", "old-active"]) await store.registerAgent(name);
    await store.updateAgentState("old-stale", "stale", "no heartbeat");
    await store.updateAgentState("old-stopped", "stopped", "shutdown");
    await store.updateAgentState("old-failed", "failed", "gave up");
    await store.recordError("old-failed", "boom");
    await store.updateAgentState("old-active", "active"); // live: never removed, however old
    clock.set(Date.now() - 5 * 60_000); // five minutes ago
    await store.registerAgent("new-stopped");
    await store.updateAgentState("new-stopped", "stopped");
    await store.close();

    const env = { DATABASE_PATH: path };
    const dry = await runCli(["cleanup-stale", "--older-than", "1h", "--dry-run", "--json"], { cwd: dir, env });
    expect(dry.code).toBe(0);
    const d = parseJson(dry);
    expect(d).toMatchObject({ dryRun: true, olderThanMs: 3600_000, count: 3 });
    expect(d.agents.map((a: { name: string }) => a.name)).toEqual(["old-failed", "old-stale", "old-stopped"]);
    expect(d.agents[0]).toMatchObject({ state: "failed" });

    const check = await SharedState.open({ path });
    try {
      expect((await check.summary()).total).toBe(5); // dry run deleted nothing
    } finally {
      await check.close();
    }

    const text = await runCli(["cleanup-stale", "--older-than", "90m", "--dry-run"], { cwd: dir, env });
    expect(text.stdout).toMatch(/Would remove 3 stale\/stopped\/failed agent record\(s\) with no heartbeat for 1h 30m \(dry run: nothing deleted\)/);
    expect(text.stdout).toMatch(/old-stale\s+stale\s+2h 0m ago/);

    const real = await runCli(["cleanup-stale", "--older-than", "1h"], { cwd: dir, env });
    expect(real.code).toBe(0);
    expect(real.stdout).toMatch(/^Removed 3 /);

    const after = await SharedState.open({ path });
    try {
      expect((await after.getRegisteredAgents()).map((a) => a.name)).toEqual(["new-stopped", "old-active"]);
      expect(await after.getTransitions({ agent: "old-failed" })).toEqual([]);
      expect(await after.getErrors({ agent: "old-failed" })).toEqual([]);
      expect((await after.getTransitions({ agent: "new-stopped" })).length).toBeGreaterThan(0);
    } finally {
      await after.close();
    }
  });
});

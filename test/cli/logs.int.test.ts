/**
 * `bg-agents logs` as a real process over files written by createLogger: merged by time across
 * agents, filtered by agent / level / count, --json lines, and --follow picking up new lines,
 * including from the next day's file, until SIGINT.
 */
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { closeLogger, createLogger } from "../../src/logging/index.js";
import { killCliChildren, runCli, startCli } from "../helpers/cli.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { sleep } from "../helpers/wait.js";

afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

/** Writes interleaved lines for two agents (a few ms apart so their order is certain). */
async function writeLogs(dir: string, lines: Array<[agent: string, level: "info" | "warn" | "error" | "debug", msg: string]>) {
  const loggers = new Map<string, ReturnType<typeof createLogger>>();
  for (const [agent, level, msg] of lines) {
    if (!loggers.has(agent)) loggers.set(agent, createLogger({ agentName: agent, level: "debug", dir, console: false }));
    loggers.get(agent)!.child({ module: "worker" }).log(level, msg, { seq: msg });
    await sleep(3);
  }
  for (const l of loggers.values()) await closeLogger(l);
}

describe("bg-agents logs", () => {
  it("merges all agents by time, filters by agent, level and count, and prints --json lines", async () => {
    const dir = makeTempDir("bga-logs-");
    const logDir = join(dir, "logs");
    await writeLogs(logDir, [
      ["alpha", "info", "a1 started"],
      ["beta", "info", "b1 started"],
      ["alpha", "warn", "a2 slow heartbeat"],
      ["beta", "error", "b2 crashed"],
      ["alpha", "debug", "a3 details"],
    ]);
    const env = { LOG_DIR: logDir };
    const all = await runCli(["logs"], { cwd: dir, env });
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split("\n");
    expect(lines.map((l) => /([ab]\d)/.exec(l)![1])).toEqual(["a1", "b1", "a2", "b2", "a3"]);
    expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z WARN  \[alpha\/worker\] a2 slow heartbeat \{"seq":"a2 slow heartbeat"\}$/);

    const warn = await runCli(["logs", "--level", "warning", "--json"], { cwd: dir, env });
    const records = warn.stdout.trim().split("\n").map((l) => JSON.parse(l));
    expect(records.map((r) => [r.agent, r.level, r.message])).toEqual([["alpha", "warn", "a2 slow heartbeat"], ["beta", "error", "b2 crashed"]]);
    expect(records[0]).toMatchObject({ module: "worker", seq: "a2 slow heartbeat" });

    const alpha = await runCli(["logs", "alpha", "--lines", "2", "--log-dir", logDir], { cwd: dir });
    expect(alpha.stdout.trim().split("\n").map((l) => /(a\d)/.exec(l)![1])).toEqual(["a2", "a3"]);

    const none = await runCli(["logs", "nobody"], { cwd: dir, env });
    expect(none.code).toBe(0);
    expect(none.stdout).toBe("");
    expect(none.stderr).toContain(`No log files for agent "nobody" in ${logDir}`);
  });

  it("--follow prints lines appended after start, also from the next day's file, until SIGINT", async () => {
    const dir = makeTempDir("bga-logs-");
    const logDir = join(dir, "logs");
    await writeLogs(logDir, [["alpha", "info", "before start"], ["beta", "info", "other agent"]]);
    const follow = startCli(["logs", "alpha", "--follow"], { cwd: dir, env: { LOG_DIR: logDir } });
    await follow.waitForStdout(/before start/);

    await writeLogs(logDir, [["alpha", "warn", "appended while following"], ["beta", "info", "beta while following"]]);
    await follow.waitForStdout(/WARN  \[alpha\/worker\] appended while following/);

    // the daily switch: tomorrow's file appears and is read from its start
    const tomorrow = new Date(Date.now() + 86_400_000);
    const day = tomorrow.toISOString().slice(0, 10);
    appendFileSync(join(logDir, `agent_alpha-${day}.log`),
      JSON.stringify({ agent: "alpha", level: "info", message: "next day line", module: "worker", timestamp: tomorrow.toISOString() }) + "\n");
    await follow.waitForStdout(/next day line/);

    follow.proc.kill("SIGINT");
    const result = await follow.done;
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("other agent");
    expect(result.stdout).not.toContain("beta while following");
    expect(result.stdout.split("\n").filter((l) => l.includes("before start"))).toHaveLength(1); // nothing printed twice
  });
});

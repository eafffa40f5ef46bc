/**
 * `npm start`'s entry (bin/start.js) runs the supervisor from the compiled dist/ in its own process
 * (no wrapper: the agents' parent is the process we started), every built-in agent process runs
 * the bundled agent runner and graph (dist/bundle/, bin/bundle.js) without tsx, and a user's own
 * .ts agent module gets dist/'s unbundled runner with tsx, only that process.
 * When src/ is newer than dist/ the launcher rebuilds first (bin/build-check.js; npm ci builds).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT, stopProcess } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { fleetEnv, untilActiveIn } from "../helpers/fleet.js";

const BUILT_IN = ["HeartbeatHealthAgent", "PerformanceMonitorAgent", "LangSmithBridgeAgent"];
const TINY = join(REPO_ROOT, "test/agents/fixtures/tiny-agent/graph.ts");

const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean);
const parentOf = (pid: number) => Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);

let proc: ChildProcess | undefined;
afterEach(async () => {
  await stopProcess(proc);
  removeTempDirs();
});

async function startFleet(entry: string, args: string[], names: string[]) {
  const dir = makeTempDir("bga-compiled-");
  const vars = fleetEnv(dir);
  const env = { ...process.env, NODE_OPTIONS: "", BG_AGENTS_FROM_SOURCE: "", ...vars };
  proc = spawn(process.execPath, [join(REPO_ROOT, entry), ...args], { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-4000)));
  const agents = await untilActiveIn(vars.DATABASE_PATH!, names, () => (proc!.exitCode !== null ? `${entry} exited ${proc!.exitCode}: ${stderr}` : undefined));
  return { supervisorPid: proc.pid!, pidOf: (name: string) => agents.get(name)!.pid! };
}

function expectCompiledAgents(fleet: { supervisorPid: number; pidOf(name: string): number }) {
  for (const name of BUILT_IN) {
    const pid = fleet.pidOf(name);
    expect(parentOf(pid), `${name}'s parent is the process that was started`).toBe(fleet.supervisorPid);
    const args = cmdline(pid).join(" ");
    expect(args).toContain(join(REPO_ROOT, "dist/bundle/agent-main.js"));
    expect(args).not.toMatch(/tsx/);
    expect(readFileSync(`/proc/${pid}/environ`, "utf8").split("\0")).toContainEqual(expect.stringMatching(/^BG_AGENT_MODULE=.*\/dist\/bundle\/graphs\/[a-z-]+\.js$/));
  }
}

describe("compiled runtime", () => {
  it("npm start's entry runs the supervisor in its own process and the built-in agents from dist/", async () => {
    const fleet = await startFleet("bin/start.js", [], BUILT_IN);
    expect(cmdline(fleet.supervisorPid)).toEqual([process.execPath, join(REPO_ROOT, "bin/start.js")]);
    expectCompiledAgents(fleet);
  }, 200_000);

  it("bg-agents start runs from dist/ and gives tsx only to a user's .ts agent module", async () => {
    const fleet = await startFleet("bin/bg-agents.js", ["start", "--agent", `TinyAgent=${TINY}`], [...BUILT_IN, "TinyAgent"]);
    expectCompiledAgents(fleet);
    const tiny = cmdline(fleet.pidOf("TinyAgent")).join(" ");
    expect(tiny).toContain(join(REPO_ROOT, "dist/src/agents/runtime/agent-main.js"));
    expect(tiny).toMatch(/tsx/);
  }, 200_000);
});

/**
 * The package as npm publishes it: `npm pack` of the built repo, unpacked into a project's
 * node_modules next to its dependencies (hoisted, as npm installs them; here links to this repo's
 * copies, so no native addon is rebuilt). From there `bg-agents start` runs the fleet from the
 * package's own bundle without rebuilding or rebundling anything, and a project script imports
 * its entries by name.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetEnv, untilActiveIn } from "./helpers/fleet.js";
import { REPO_ROOT, stopProcess } from "./helpers/processes.js";
import { makeTempDir, removeTempDirs } from "./helpers/temp-dir.js";

const BUILT_IN = ["HeartbeatHealthAgent", "PerformanceMonitorAgent", "LangSmithBridgeAgent"];

let project: string;
let installed: string;
let packed: string[];
let fleet: ChildProcess | undefined;

beforeAll(() => {
  const out = makeTempDir("bga-pack-");
  // the repo is built already (npm ci runs `prepare`); packing must not rebuild the dist/ other tests use
  const [info] = JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", out], { cwd: REPO_ROOT, encoding: "utf8" })) as
    { filename: string; files: { path: string }[] }[];
  packed = info!.files.map((f) => f.path);
  project = makeTempDir("bga-consumer-");
  installed = join(project, "node_modules", "background-agents");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", join(out, info!.filename), "--strip-components=1", "-C", installed]);
  for (const dep of readdirSync(join(REPO_ROOT, "node_modules"))) {
    if (!dep.startsWith(".")) symlinkSync(join(REPO_ROOT, "node_modules", dep), join(project, "node_modules", dep), "dir");
  }
}, 120_000);

afterAll(async () => {
  await stopProcess(fleet);
  removeTempDirs();
});

describe("the packed package, installed in a project", () => {
  it("holds the built code, its bundle and its stamp, and none of the repo's tests or benches", () => {
    for (const f of ["bin/bg-agents.js", "bin/launch.js", "dist/build-stamp.json", "dist/bundle/agent-main.js", "dist/bundle/manifest.json",
      "dist/src/index.js", "dist/graphs/heartbeat-health.js", "langgraph.json", "README.md", "src/index.ts"]) {
      expect(packed, f).toContain(f);
    }
    expect(packed.filter((f) => /^(test|bench|docs|\.ci|\.exp)\//.test(f))).toEqual([]);
  });

  it("bg-agents start runs every built-in agent from the installed package's bundle, rebuilding nothing", async () => {
    const dir = makeTempDir("bga-packed-fleet-");
    const vars = fleetEnv(dir);
    const manifest = join(installed, "dist/bundle/manifest.json");
    const builtAt = statSync(manifest).mtimeMs;
    fleet = spawn(process.execPath, [join(installed, "bin/bg-agents.js"), "start"], {
      cwd: project, env: { ...process.env, NODE_OPTIONS: "", BG_AGENTS_FROM_SOURCE: "", ...vars }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    fleet.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr = (stderr + d).slice(-8000)));
    const agents = await untilActiveIn(vars.DATABASE_PATH!, BUILT_IN, () => (fleet!.exitCode !== null ? `bg-agents start exited ${fleet!.exitCode}: ${stderr}` : undefined));
    for (const name of BUILT_IN) {
      const args = readFileSync(`/proc/${agents.get(name)!.pid}/cmdline`, "utf8").split("\0");
      expect(args, name).toContain(join(installed, "dist/bundle/agent-main.js"));
    }
    expect(stderr).not.toMatch(/rebuilding|rebundling/);
    expect(statSync(manifest).mtimeMs).toBe(builtAt);
  }, 200_000);

  it("a project script imports the package's entries by name", () => {
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", `
      const agent = await import("background-agents/agent");
      const main = await import("background-agents");
      const sqlite = await import("background-agents/sqlite");
      console.log(JSON.stringify([typeof agent.registerSelf, typeof main.openStore, typeof sqlite.SharedState, import.meta.resolve("background-agents")]));`],
    { cwd: project, encoding: "utf8", timeout: 60_000 });
    const [registerSelf, openStore, sharedState, resolved] = JSON.parse(out) as string[];
    expect([registerSelf, openStore, sharedState]).toEqual(["function", "function", "function"]);
    expect(resolved).toBe(`file://${join(installed, "dist/src/index.js")}`);
  });
});

/**
 * A plain Node script (no tsx) imports the built package by name, as the README shows:
 * `import { HeartbeatHealthAgent, openStore, loadConfig } from "background-agents"`; a project
 * with the package in its node_modules imports `background-agents/agent`.
 * `npm ci` builds dist/ through the `prepare` script.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir, removeTempDirs } from "./helpers/temp-dir.js";

const script = `
import { HeartbeatHealthAgent, openStore, loadConfig } from "background-agents";
const config = loadConfig({ DATABASE_PATH: process.env.DB, HEARTBEAT_INTERVAL: "0.05", STALE_THRESHOLD: "0.2" });
const store = await openStore(config);
await store.registerAgent("worker");
const monitor = new HeartbeatHealthAgent({ config, store });
const running = monitor.start();
await new Promise((r) => setTimeout(r, 600));
await monitor.stop();
await running;
const worker = await store.getAgent("worker");
const self = await store.getAgent(config.agentName);
console.log(JSON.stringify({ worker: worker.state, self: self.state, stale: monitor.isAgentStale(worker.lastHeartbeat) }));
await store.close();
`;

describe("package entry", () => {
  afterEach(() => removeTempDirs());

  it("imports the built package by name from a plain Node script", () => {
    expect(existsSync(join(process.cwd(), "dist/src/index.js")), "dist/ is missing: run `npm run build` (npm ci does it)").toBe(true);
    const dir = makeTempDir("bga-entry-");
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: process.cwd(),
      env: { ...process.env, DB: join(dir, "state.db"), LANGSMITH_TRACING: "false" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual({ worker: "stale", self: "stopped", stale: true });
  });

  it("a project with the package in its node_modules imports background-agents/agent by name", () => {
    const project = makeTempDir("bga-project-");
    // as npm link or a workspace installs it (removeTempDirs unlinks it, never follows it)
    mkdirSync(join(project, "node_modules"));
    symlinkSync(process.cwd(), join(project, "node_modules", "background-agents"), "dir");
    writeFileSync(join(project, "probe.mjs"), `import * as agent from "background-agents/agent";
console.log(JSON.stringify(Object.entries(agent).map(([k, v]) => k + ":" + typeof v).sort()));`);
    const out = execFileSync(process.execPath, ["probe.mjs"], { cwd: project, encoding: "utf8", timeout: 60_000 });
    expect(JSON.parse(out)).toEqual(["contextOf", "cycleChannels", "hasCycleBudget", "last", "registerSelf", "sendHeartbeat", "waitForNextCycle"].map((k) => `${k}:function`));
  });
});

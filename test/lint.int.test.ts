/**
 * The import rules, as part of `npm test`: no import cycles (`npm run lint:cycles`, dpdm) and the
 * layers of .dependency-cruiser.cjs (`npm run lint:layers`). A small tree of probe files, cruised
 * with the same rules, shows that each rule catches what it forbids and lets the allowed through.
 */
import { execFile } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/processes.js";
import { makeTempDir, removeTempDirs } from "./helpers/temp-dir.js";

const run = promisify(execFile);
const DEPCRUISE = join(REPO_ROOT, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs");

afterAll(() => removeTempDirs());

async function npmRun(script: string): Promise<{ code: number; output: string }> {
  try {
    const r = await run("npm", ["run", "--silent", script], { cwd: REPO_ROOT, timeout: 120_000, maxBuffer: 16 << 20 });
    return { code: 0, output: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

describe("the source tree", () => {
  it("has no import cycles (npm run lint:cycles)", async () => {
    const r = await npmRun("lint:cycles");
    expect(r.code, r.output).toBe(0);
  }, 120_000);

  it("keeps its layers (npm run lint:layers)", async () => {
    const r = await npmRun("lint:layers");
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/no dependency violations found/);
  }, 120_000);
});

/** Each probe file: its path in a scratch tree and the imports it makes. */
const PROBE: Record<string, string[]> = {
  "src/http/reads-supervisor.ts": ["../supervisor/spawn.js"],
  "src/http/reads-supervision.ts": ["../supervision/record.js"],
  "src/supervisor/spawn.ts": ["../http/server.js"],
  "src/supervision/record.ts": ["../storage/sqlite/impl.js"],
  "src/http/server.ts": [],
  "src/storage/sqlite/impl.ts": ["better-sqlite3"],
  "src/storage/open-store.ts": ["./sqlite/impl.js"],
  "src/storage/roles.ts": ["../agents/node.js"],
  "src/diagnostics/raw.ts": ["better-sqlite3", "../storage/sqlite/impl.js"],
  "src/cli/status.ts": ["better-sqlite3", "../supervisor/spawn.js", "../app/root.js"],
  "src/app/root.ts": ["../supervisor/spawn.js", "../http/server.js"],
  "src/agents/node.ts": ["../cli/status.js", "vitest"],
  "src/agents/runner.ts": ["../../graphs/wiring.js", "./missing.js"],
  "src/logging/log.ts": ["../app/root.js"],
  "graphs/wiring.ts": ["../src/agents/node.js", "../src/http/server.js"],
  "src/langgraph-watch/watcher.ts": ["../logging/log.js"],
  "src/http/langgraph.ts": ["../langgraph-watch/watcher.js"],
  "src/supervisor/watch.ts": ["../langgraph-watch/watcher.js"],
};

/** The violations the probe must produce (rule: from → to), and nothing else. */
const EXPECTED = [
  "http-not-supervisor: src/http/reads-supervisor.ts → src/supervisor/spawn.ts",
  "supervisor-not-app: src/supervisor/spawn.ts → src/http/server.ts",
  "sqlite-behind-storage: src/supervision/record.ts → src/storage/sqlite/impl.ts",
  "base-stays-below: src/storage/roles.ts → src/agents/node.ts",
  "sqlite-behind-storage: src/cli/status.ts → better-sqlite3",
  "agents-below-servers: src/agents/node.ts → src/cli/status.ts",
  "cli-on-top: src/agents/node.ts → src/cli/status.ts",
  "not-to-dev-dep: src/agents/node.ts → vitest",
  "src-not-graphs: src/agents/runner.ts → graphs/wiring.ts",
  "not-to-unresolvable: src/agents/runner.ts → ./missing.js",
  "base-stays-below: src/logging/log.ts → src/app/root.ts",
  "app-only-from-the-top: src/logging/log.ts → src/app/root.ts",
  "graphs-on-agents: graphs/wiring.ts → src/http/server.ts",
  "langgraph-watch-only-for-readers: src/supervisor/watch.ts → src/langgraph-watch/watcher.ts",
].sort();

interface Violation { rule: { name: string }; from: string; to: string }

describe("the layer rules", () => {
  it("catch each forbidden import in a probe tree and let the allowed ones through", async () => {
    const dir = makeTempDir("bga-layers-");
    symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", dependencies: { "better-sqlite3": "*" }, devDependencies: { vitest: "*" } }));
    for (const [file, imports] of Object.entries(PROBE)) {
      mkdirSync(join(dir, dirname(file)), { recursive: true });
      writeFileSync(join(dir, file), imports.map((m, i) => `import * as m${i} from "${m}";\nexport const x${i} = m${i};\n`).join("") + "export {};\n");
    }
    const out = await run(process.execPath, [DEPCRUISE, "--config", join(REPO_ROOT, ".dependency-cruiser.cjs"), "--output-type", "json", "src", "graphs"],
      { cwd: dir, timeout: 60_000, maxBuffer: 16 << 20 }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? "" }));
    const { summary } = JSON.parse(out.stdout) as { summary: { violations: Violation[] } };
    // packages resolve into node_modules: name them by package
    const shown = (to: string) => to.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? to;
    const found = summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${shown(v.to)}`).sort();
    expect(found).toEqual(EXPECTED);
  }, 120_000);
});

/** `bg-agents traces` as a real process: the stored summaries and stats as a table or --json, --agent filter, the empty case, --sync without a key. */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunSummary } from "../../src/storage/index.js";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killCliChildren, runCli } from "../helpers/cli.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

const run = (id: string, over: Partial<RunSummary> = {}): RunSummary => ({
  runId: id, traceId: id, project: "p", agent: "W1", name: "W1.cycle", status: "success", startedAt: Date.now() - 5000,
  endedAt: Date.now() - 4950, latencyMs: 50, error: null, link: `https://smith.example/r/${id}`, ...over,
});

async function prepare(runs: RunSummary[]) {
  const dir = makeTempDir("bga-traces-cli-");
  const path = join(dir, "state.db");
  const store = await SharedState.open({ path });
  await store.traces.saveRuns("p", runs, Date.now());
  await store.traces.refreshStats(3_600_000);
  await store.close();
  return { dir, env: { DATABASE_PATH: path, LOG_DIR: join(dir, "logs"), LANGSMITH_API_KEY: "", LANGSMITH_TRACING: "" } };
}

describe("bg-agents traces", () => {
  it("prints the per-agent stats and the newest runs with status, latency, error and link", async () => {
    const { dir, env } = await prepare([run("r1"), run("r2", { status: "error", error: "boom", latencyMs: 150 }), run("r3", { agent: "W2", name: "W2.cycle" })]);
    const r = await runCli(["traces"], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/AGENT\s+RUNS\s+ERROR RATE\s+AVG\s+P95\s+LAST RUN/);
    expect(r.stdout).toMatch(/W1\s+2\s+50\.0%\s+100 ms\s+150 ms/);
    expect(r.stdout).toMatch(/W1\s+W1\.cycle\s+error\s+150 ms\s+boom\s+https:\/\/smith\.example\/r\/r2/);
    expect(r.stdout).toContain("https://smith.example/r/r3");
  });

  it("--agent --json gives only that agent's runs and stats", async () => {
    const { dir, env } = await prepare([run("r1"), run("r3", { agent: "W2", name: "W2.cycle" })]);
    const r = await runCli(["traces", "--agent", "W2", "--json"], { cwd: dir, env });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { runs: RunSummary[]; stats: Array<{ agent: string }> };
    expect(out.runs.map((x) => x.runId)).toEqual(["r3"]);
    expect(out.stats.map((s) => s.agent)).toEqual(["W2"]);
  });

  it("says how to get summaries when there are none; --sync without a key exits 2 naming the variable", async () => {
    const { dir, env } = await prepare([]);
    const empty = await runCli(["traces"], { cwd: dir, env });
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain("No run summaries stored");
    const sync = await runCli(["traces", "--sync"], { cwd: dir, env });
    expect(sync.code).toBe(2);
    expect(sync.stderr.trim()).toBe("bg-agents: Cannot sync: LANGSMITH_API_KEY is not set. Set LANGSMITH_API_KEY (and LANGSMITH_PROJECT, LANGSMITH_ENDPOINT) first.");
    const bad = await runCli(["traces", "--status", "weird"], { cwd: dir, env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected one of success, error, pending/);
  });
});

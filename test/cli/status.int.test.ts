/**
 * `bg-agents status` and `inspect` run as real processes against temp databases prepared through
 * SharedState: exit codes, the table, --json against toAgentView, config from env/.env/flags.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { toSuspicionView } from "../../src/views/suspicion.js";
import { toAgentView, type AgentView } from "../../src/views/agent-view.js";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

/** A database in a fresh dir; `clock` starts now (real time), so ages seen by the CLI are real. */
async function prepare(fill: (s: SharedState, clock: ManualClock) => Promise<void>) {
  const dir = makeTempDir("bga-cli-");
  const path = join(dir, "state.db");
  const clock = new ManualClock(Date.now());
  const store = await SharedState.open({ path, clock });
  try {
    await fill(store, clock);
    return { dir, path, records: await store.getRegisteredAgents() };
  } finally {
    await store.close();
  }
}

describe("bg-agents status", () => {
  it("shows an agent whose RSS rises steadily towards PERF_RSS_MB as degrading, with the time to the limit, and its open anomalies", async () => {
    const MB = 1024 * 1024;
    const { dir, path } = await prepare(async (s, clock) => {
      clock.advance(-21 * 60_000); // the agents' run began before the samples
      await s.registerAgent("leaky");
      await s.updateAgentState("leaky", "active", "started");
      await s.registerAgent("steady");
      await s.updateAgentState("steady", "active", "started");
      clock.advance(21 * 60_000);
      // 20 minutes of samples, one a minute, ending now: leaky grows 10 MB/min from 100 MB, steady stays at 100 MB
      for (let i = 0; i < 20; i++) {
        await s.perf.record(clock.now() - (19 - i) * 60_000, [
          { metric: "agent.rss_bytes", agent: "leaky", value: (100 + 10 * i) * MB },
          { metric: "agent.rss_bytes", agent: "steady", value: (100 + (i % 3)) * MB },
        ]);
      }
      for (const name of ["leaky", "steady"]) await s.updateHeartbeat(name); // fresh beats; the run still began 21 min ago
      const open = { cpuPercent: { since: clock.now() - 60_000, value: 95, baseline: 3, text: "CPU 95%, usually 3.0%" } };
      await s.signals.save([{ agent: "steady", sampledAt: clock.now(), state: {}, open }], []);
    });
    const r = await runCli(["status", "--json"], { cwd: dir, env: { DATABASE_PATH: path, PERF_RSS_MB: "512" } });
    expect(r.code).toBe(0);
    const out = parseJson<{ agents: Array<{ name: string; degrading: { text: string; timeToLimitMs: number } | null; anomalies: Array<{ signal: string; text: string }> }> }>(r);
    const leaky = out.agents.find((a) => a.name === "leaky")!;
    // at now the line is at 290 MB: (512 - 290) / 10 = 22 min
    expect(leaky.degrading?.text).toMatch(/^degrading: RSS will reach the limit in about 2[12] min/);
    expect(leaky.degrading!.timeToLimitMs / 60_000).toBeCloseTo(22.2, 0);
    expect(out.agents.find((a) => a.name === "steady")!.degrading).toBeNull();
    expect(out.agents.find((a) => a.name === "steady")!.anomalies).toEqual([expect.objectContaining({ signal: "cpuPercent", text: "CPU 95%, usually 3.0%" })]);
    expect(leaky.anomalies).toEqual([]);
    const human = await runCli(["status"], { cwd: dir, env: { DATABASE_PATH: path, PERF_RSS_MB: "512" } });
    expect(human.stdout).toMatch(/leaky\s+Active degrading/);
    expect(human.stdout).not.toMatch(/steady\s+Active degrading/);
    expect(human.stdout).toMatch(/steady\s+Active anomaly/);
    expect(human.stdout).toMatch(/leaky: degrading: RSS will reach the limit in about 2[12] min/);
    expect(human.stdout).toMatch(/steady: anomaly since \S+: CPU 95%, usually 3\.0%/);
  });

  it("exits 0 when every agent is active and --json agents are exactly toAgentView of the stored records", async () => {
    const { dir, path, records } = await prepare(async (s) => {
      for (const name of ["HeartbeatHealthAgent", "worker-a", "worker-b"]) {
        await s.registerAgent(name, { pid: 4242, host: "box" });
        await s.updateAgentState(name, "active", "started");
        await s.updateHeartbeat(name, { rssBytes: 1000 });
      }
      await s.recordError("worker-b", "timeout talking to the API");
    });
    const r = await runCli(["status", "--json"], { cwd: dir, env: { DATABASE_PATH: path } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = parseJson<{ summary: { line: string; total: number }; agents: AgentView[]; overdue: string[] }>(r);
    expect(out.summary.line).toBe("Active agents: 3/3");
    expect(out.overdue).toEqual([]);
    expect(out.agents.map((a) => a.name)).toEqual(["HeartbeatHealthAgent", "worker-a", "worker-b"]);
    // the CLI's "now" is recoverable from its own output; with it, every view must match exactly
    for (const view of out.agents) {
      const now = Date.parse(view.lastHeartbeat) + view.lastHeartbeatAgeMs;
      const { suspicion, degrading, anomalies, ...agentView } = view as AgentView & { suspicion: unknown; degrading: unknown; anomalies: unknown };
      expect(degrading).toBeNull();
      expect(anomalies).toEqual([]);
      const record = records.find((x) => x.name === view.name)!;
      expect(agentView).toEqual(toAgentView(record, now));
      // one heartbeat: no rhythm learned yet, so phi 0 and the fixed threshold
      expect(suspicion).toEqual(toSuspicionView(record, now, { staleThresholdMs: 120_000 }));
      expect(suspicion).toMatchObject({ phi: 0, rule: "fixed", staleAfterMs: 120_000, intervals: 0 });
    }

    const human = await runCli(["status"], { cwd: dir, env: { DATABASE_PATH: path } });
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^AGENT\s+STATE\s+UPTIME\s+LAST HEARTBEAT\s+PID@HOST\s+RESTARTS\s+ERRORS\s+LAST ERROR/);
    expect(human.stdout).toMatch(/worker-b\s+Active\s+.*4242@box\s+0\s+1\s+timeout talking to the API/);
    expect(human.stdout).toContain("Active agents: 3/3");
    expect(human.stdout).not.toContain("\u001b["); // no colour when stdout is not a TTY
  });

  it("exits 1 with a stale agent or an overdue heartbeat, and says so", async () => {
    const { dir, path } = await prepare(async (s, clock) => {
      await s.registerAgent("gone");
      await s.registerAgent("silent");
      await s.updateAgentState("silent", "active");
      clock.advance(-10 * 60_000); // heartbeat 10 min in the past, never marked (no monitor)
      await s.updateHeartbeat("silent");
      clock.advance(10 * 60_000);
      await s.updateAgentState("gone", "stale", "no heartbeat for 300s");
    });
    const r = await runCli(["status"], { cwd: dir, env: { DATABASE_PATH: path } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/gone\s+Inactive \(stale\)/);
    expect(r.stdout).toContain("Active agents: 1/2");
    expect(r.stdout).toMatch(/silent\s+Active.*\(overdue\)/);
    expect(r.stdout).toContain("bg-agents doctor");

    const j = parseJson(await runCli(["status", "--json", "--state", "stale"], { cwd: dir, env: { DATABASE_PATH: path } }));
    expect(j.agents.map((a: AgentView) => a.name)).toEqual(["gone"]);
    expect(j.overdue).toEqual(["silent"]);
    expect(j.summary.byState.stale).toBe(1);
  });

  it("reads DATABASE_PATH from .env, lets --db override it, and refuses a missing database without creating it", async () => {
    const { dir, path } = await prepare(async (s) => {
      await s.registerAgent("only");
      await s.updateAgentState("only", "active");
    });
    writeFileSync(join(dir, ".env"), `DATABASE_PATH=${path}\n`);
    const viaDotEnv = await runCli(["status", "--json"], { cwd: dir });
    expect(viaDotEnv.code).toBe(0);
    expect(parseJson(viaDotEnv).summary.line).toBe("Active agents: 1/1");

    const missing = join(dir, "nope.db");
    const r = await runCli(["status", "--db", missing], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`No state database at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it("bad config: one line naming the variable, exit 2", async () => {
    const dir = makeTempDir("bga-cli-");
    const r = await runCli(["status"], { cwd: dir, env: { STALE_THRESHOLD: "soon" } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^bg-agents: STALE_THRESHOLD="soon" is invalid/);
  });
});

describe("bg-agents inspect", () => {
  it("prints the raw rows, recent transitions and errors, system_state and row counts (--json and text)", async () => {
    const { dir, path } = await prepare(async (s) => {
      await s.registerAgent("w1", { pid: 7 });
      await s.updateAgentState("w1", "active", "up");
      await s.recordError("w1", "disk full");
      await s.registerAgent("w2");
    });
    const r = await runCli(["inspect", "--json", "--db", path], { cwd: dir });
    expect(r.code).toBe(0);
    const j = parseJson(r);
    expect(j.tables).toMatchObject({ agents: 2, agent_transitions: 3, agent_errors: 1, system_state: 0 });
    expect(j.agents.map((a: { name: string }) => a.name)).toEqual(["w1", "w2"]);
    expect(j.agents[0]).toMatchObject({ name: "w1", state: "active", pid: 7, error_count: 1, last_error: "disk full" });
    expect(j.transitions[0]).toMatchObject({ agent: "w2", from_state: null, to_state: "initializing" });
    expect(j.errors).toEqual([expect.objectContaining({ agent: "w1", message: "disk full" })]);
    expect(j.schemaVersion).toBe(j.expectedSchemaVersion);

    const text = await runCli(["inspect", "--agent", "w1", "--db", path], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Agents \(1\)/);
    expect(text.stdout).toMatch(/Recent transitions/);
    expect(text.stdout).toMatch(/w1\s+initializing → active\s+up/);
    expect(text.stdout).not.toMatch(/\bw2\b/);
  });
});

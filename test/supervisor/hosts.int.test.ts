/**
 * A supervisor per host on one PostgreSQL database: `bg-agents start` here and in a network
 * namespace with its own host name (a veth pair, PostgreSQL listening on the host side). Both run,
 * each with its system agents named `<name>@<host>` and a worker of its own; each restarts only its
 * own agents; `bg-agents restart` run here restarts host B's worker through B's supervisor; once
 * B's supervisor is SIGKILLed (its lease runs out), the same request is refused by the CLI (exit 1)
 * and the API (409) with a clear message, and nothing is queued.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { startServer } from "../../src/http/index.js";
import { pidAlive } from "../../src/process/index.js";
import type { AgentRecord } from "../../src/storage/index.js";
import { PgStore } from "../../src/storage/postgres/index.js";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { captureLogger } from "../helpers/log-capture.js";
import { useClusterWithSecondHost } from "../helpers/second-host.js";
import { killChildren, REPO_ROOT, spawnTs, type Child } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

const START_TIMEOUT = 120_000;
const SYSTEM = ["HeartbeatHealthAgent", "PerformanceMonitorAgent", "LangSmithBridgeAgent"];

const site = useClusterWithSecondHost();
let store: PgStore | undefined;
const agentPids = new Set<number>();
afterEach(async () => {
  await killCliChildren();
  for (const a of (await store?.getRegisteredAgents().catch(() => [])) ?? []) if (a.pid) agentPids.add(a.pid);
  killChildren();
  for (const pid of agentPids) if (pidAlive(pid)) process.kill(pid, "SIGKILL");
  await store?.close();
  removeTempDirs();
});

interface Host {
  name: string;
  logDir: string;
  supervisor: Child;
}

function startSupervisor(o: { url: string; dir: string; tag: string; wrap?: string[] }): Host & { worker: string } {
  const worker = `worker-${o.tag}`;
  const logDir = join(o.dir, `logs-${o.tag}`);
  const env = {
    DATABASE_URL: o.url, LOG_DIR: logDir, HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "4", LEADER_LEASE: "1", LOG_LEVEL: "info",
    LANGSMITH_TRACING: "false", LANGSMITH_API_KEY: "", CLIENT_NAME: worker, HOST_NAME: undefined,
  };
  const supervisor = spawnTs("src/cli/main.ts", {
    args: ["start", "--no-dashboard", "--script", `${worker}=${join(REPO_ROOT, "test/fixtures/fleet-client.ts")}`], env, cwd: o.dir, wrap: o.wrap,
  });
  return { name: "", logDir, supervisor, worker };
}

/** What a supervisor's log file says (JSON lines). */
function logMessages(h: Host): string[] {
  if (!existsSync(h.logDir)) return [];
  return readdirSync(h.logDir).filter((n) => n.startsWith("agent_supervisor-"))
    .flatMap((n) => readFileSync(join(h.logDir, n), "utf8").split("\n").filter(Boolean).map((l) => String((JSON.parse(l) as { message: unknown }).message)));
}

async function agents(): Promise<Map<string, AgentRecord>> {
  return new Map((await store!.getRegisteredAgents()).map((a) => [a.name, a]));
}

describe("a supervisor per host on one PostgreSQL database", () => {
  it("both run, each restarts only its own agents, restart requests go to the agent's host and are refused once its supervisor is gone", async () => {
    const url = await site.cluster.freshDatabase();
    const dir = makeTempDir("bga-hosts-sup-");
    store = await PgStore.open({ url });
    const a = { ...startSupervisor({ url, dir, tag: "a" }), name: hostname() };
    const b = { ...startSupervisor({ url: site.remote(url), dir, tag: "b", wrap: site.ns.exec([]) }), name: site.ns.hostName };
    const namesOf = (h: Host & { worker: string }) => [...SYSTEM.map((s) => `${s}@${h.name}`), h.worker];
    const story = () => `A: ${logMessages(a).slice(-30).join("\n")}\nB: ${logMessages(b).slice(-30).join("\n")}\nB stderr: ${b.supervisor.stderr.slice(-2000)}`;

    // both run: every agent of both hosts active, on its own host, under its per-host name
    const all = await waitFor(async () => {
      for (const h of [a, b]) if (!h.supervisor.running) throw new Error(`supervisor ${h.name} exited: ${h.supervisor.stderr.slice(-3000)}`);
      const m = await agents();
      return [...namesOf(a), ...namesOf(b)].every((n) => m.get(n)?.state === "active" && pidAlive(m.get(n)?.pid)) ? m : undefined;
    }, { timeoutMs: START_TIMEOUT, intervalMs: 200, message: "both hosts' agents active" });
    for (const h of [a, b]) {
      for (const n of [...namesOf(h), `SystemInitializer@${h.name}`]) expect(all.get(n)?.host, n).toBe(h.name);
    }
    expect([...all.keys()].filter((n) => SYSTEM.includes(n) || n === "SystemInitializer")).toEqual([]); // no unsuffixed system agent
    const status = parseJson(await runCli(["status", "--json"], { cwd: dir, env: { DATABASE_URL: url } }));
    expect(new Set(status.supervisors.map((s: { host: string; running: boolean }) => `${s.host}:${s.running}`))).toEqual(new Set([`${a.name}:true`, `${b.name}:true`]));

    // each restarts only its own: kill both workers, each comes back under its own host's supervisor
    for (const h of [a, b]) process.kill(all.get(h.worker)!.pid!, "SIGKILL");
    const back = await waitFor(async () => {
      const m = await agents();
      return [a, b].every((h) => m.get(h.worker)?.state === "active" && m.get(h.worker)!.pid !== all.get(h.worker)!.pid && pidAlive(m.get(h.worker)!.pid)) ? m : undefined;
    }, { timeoutMs: START_TIMEOUT, intervalMs: 100, message: story });
    for (const h of [a, b]) expect(back.get(h.worker)!.host).toBe(h.name);
    expect(logMessages(a).some((l) => l.includes(b.worker))).toBe(false);
    expect(logMessages(b).some((l) => l.includes(a.worker))).toBe(false);
    for (const n of [...SYSTEM.map((s) => `${s}@${a.name}`), ...SYSTEM.map((s) => `${s}@${b.name}`)]) expect(back.get(n)!.pid, n).toBe(all.get(n)!.pid);

    // a restart of B's worker asked for here (host A's CLI) is carried out by B's supervisor
    const before = back.get(b.worker)!;
    const r = await runCli(["restart", b.worker, "--json"], { cwd: dir, env: { DATABASE_URL: url } });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(parseJson(r)).toMatchObject({ supervisorRunning: true, restartRequested: [b.worker] });
    const restarted = await waitFor(async () => {
      const w = await store!.getAgent(b.worker);
      return w && w.restarts > before.restarts && w.restartRequestedAt === null && w.state === "active" && w.pid !== before.pid ? w : undefined;
    }, { timeoutMs: START_TIMEOUT, intervalMs: 100, message: story });
    expect(restarted.host).toBe(b.name);
    expect(logMessages(b).some((l) => l.startsWith(`restart of ${b.worker} requested`))).toBe(true);
    expect(logMessages(a).some((l) => l.includes(b.worker))).toBe(false);

    // B's supervisor is gone: the request is refused with a clear message, nothing is queued
    b.supervisor.kill("SIGKILL");
    await b.supervisor.exited;
    await waitFor(async () => !(await store!.leaseMembers(`supervisor@${b.name}`, 3_600_000)).some((m) => m.role === "leader"),
      { timeoutMs: 30_000, intervalMs: 100, message: "B's supervisor lease ran out" });
    const refused = await runCli(["restart", b.worker], { cwd: dir, env: { DATABASE_URL: url } });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(new RegExp(`^${b.worker} runs under the supervisor of host ${b.name} \\(pid \\d+\\), which is gone \\(last seen \\d+s ago\\)`));
    expect(refused.stdout).toMatch(/nothing was requested\. Start the supervisor on .*bg-agents start there/);
    const server = await startServer({ store, config: loadConfig({ DATABASE_URL: url }), logger: captureLogger().logger, host: "127.0.0.1", port: 0, monitorName: "m" });
    try {
      const res = await fetch(`${server.url}/api/agents/${encodeURIComponent(b.worker)}/restart`, { method: "POST" });
      const body = (await res.json()) as { error: string; message: string };
      expect(res.status).toBe(409);
      expect(body).toMatchObject({ error: "SUPERVISOR_GONE", message: expect.stringMatching(new RegExp(`^${b.worker} runs under the supervisor of host ${b.name}.*which is gone`)) });
    } finally {
      await server.close();
    }
    expect((await store.getAgent(b.worker))!.restartRequestedAt).toBeNull();
    expect(await store.pendingRestarts()).toEqual([]);
    // A's agents are still served
    const ok = await runCli(["restart", a.worker, "--json"], { cwd: dir, env: { DATABASE_URL: url } });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);

    // doctor, inspect and cleanup-stale on PostgreSQL see both hosts' supervisors
    const cli = (args: string[]) => runCli(args, { cwd: dir, env: { DATABASE_URL: url, STALE_THRESHOLD: "4", HEARTBEAT_INTERVAL: "0.2" } });
    const doc = parseJson(await cli(["doctor", "--json"]));
    expect(doc.supervisors).toEqual(expect.arrayContaining([
      expect.objectContaining({ host: a.name, running: true }), expect.objectContaining({ host: b.name, running: false }),
    ]));
    expect(doc.findings.find((f: { id: string }) => f.id === "supervisors")).toMatchObject({
      status: "warn", items: expect.arrayContaining([expect.stringMatching(new RegExp(`^${b.name}: gone \\(pid \\d+, 4 agents, last seen`))]),
    });
    expect(doc.findings.find((f: { id: string }) => f.id === "db.schema")).toMatchObject({ status: "ok" });
    const ins = parseJson(await cli(["inspect", "--json"]));
    expect(ins.schemaVersion).toBe(ins.expectedSchemaVersion);
    expect(ins.leases.map((l: { name: string }) => l.name)).toEqual(expect.arrayContaining(["monitor", `supervisor@${a.name}`, `supervisor@${b.name}`]));
    expect(ins.agents.find((r: { name: string }) => r.name === b.worker)).toMatchObject({ host: b.name, last_heartbeat: expect.any(Number) });
    // B's agents died with their supervisor: once stale, clean-up removes them and keeps every agent of host A
    const ofB = [...namesOf(b), `SystemInitializer@${b.name}`];
    await waitFor(async () => {
      const m = await agents();
      return ofB.every((n) => m.get(n)?.state === "stale");
    }, { timeoutMs: 30_000, intervalMs: 100, message: story });
    const cleaned = await cli(["cleanup-stale", "--json"]);
    expect(cleaned.code, cleaned.stderr).toBe(0);
    expect(parseJson(cleaned).agents.map((x: { name: string }) => x.name).sort()).toEqual([...ofB].sort());
    expect([...(await agents()).keys()].sort()).toEqual([...namesOf(a), `SystemInitializer@${a.name}`].sort());
  }, 360_000);
});

/**
 * Fleet integration helpers: start `bg-agents start` on a temp DB with short intervals, read the
 * DB from the test, and kill every process of the fleet (supervisor and agents, found by pid in
 * the DB and by their BG_SUPERVISOR_PID marker) even when a test fails.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pidAlive } from "../../src/process/index.js";
import { SYSTEM_KEYS, type AgentRecord } from "../../src/storage/index.js";
import { SharedState } from "../../src/storage/sqlite/index.js";
import type { SupervisorRecord } from "../../src/supervisor/index.js";
import { spawnTs, type Child } from "./processes.js";
import { makeTempDir } from "./temp-dir.js";
import { sleep, waitFor } from "./wait.js";

export const SYSTEM_AGENTS = ["SystemInitializer", "HeartbeatHealthAgent", "PerformanceMonitorAgent", "LangSmithBridgeAgent"];

/** Startup of an agent process (tsx + LangGraph) takes seconds on a loaded 2-core machine. */
export const START_TIMEOUT = 60_000;

export interface Fleet {
  dir: string;
  db: string;
  logDir: string;
  env: Record<string, string>;
  supervisor: Child;
  store: SharedState;
}

const fleets: Fleet[] = [];

export function fleetEnv(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_PATH: join(dir, "state.db"),
    LOG_DIR: join(dir, "logs"),
    HEARTBEAT_INTERVAL: "0.2",
    STALE_THRESHOLD: "1",
    LOG_LEVEL: "info",
    DASHBOARD_PORT: "0",
    LANGSMITH_TRACING: "false",
    LANGSMITH_API_KEY: "",
    ...extra,
  };
}

/**
 * Waits until every agent in `names` is `active` with a live pid in the database at `dbPath`,
 * which a fleet started some other way creates (`exited` says why to stop waiting early).
 */
export async function untilActiveIn(dbPath: string, names: string[], exited: () => string | undefined, timeoutMs = 150_000): Promise<Map<string, AgentRecord>> {
  let why: string | undefined;
  const agents = await waitFor(async () => {
    // waitFor retries whatever cond() throws: an exit ends the wait with a value instead
    if ((why = exited()) !== undefined) return "exited" as const;
    let store: SharedState;
    try {
      store = await SharedState.open({ path: dbPath, lockTimeoutMs: 20_000 });
    } catch {
      return undefined; // not created yet
    }
    try {
      const all = await agentsByName(store);
      return names.every((n) => all.get(n)?.state === "active" && pidAlive(all.get(n)?.pid)) ? all : undefined;
    } finally {
      await store.close();
    }
  }, { timeoutMs, intervalMs: 200, message: `${names.join(", ")} active` });
  if (agents === "exited") throw new Error(why);
  return agents;
}

export interface StartFleetOptions {
  /** @defaultValue a new temp dir */
  dir?: string;
  env?: Record<string, string>;
  /** Arguments after `bg-agents start`. */
  args?: string[];
  /** A TypeScript file that runs the supervisor instead of `bg-agents start` (e.g. with extra agent specs). */
  entry?: string;
}

/** Starts a supervisor (`bg-agents start ...args`, or `entry`) in `dir`. */
export async function startFleet(opts: StartFleetOptions = {}): Promise<Fleet> {
  const dir = opts.dir ?? makeTempDir("bga-fleet-");
  const env = fleetEnv(dir, opts.env);
  const supervisor = opts.entry
    ? spawnTs(opts.entry, { env, cwd: dir })
    : spawnTs("src/cli/main.ts", { args: ["start", ...(opts.args ?? [])], env, cwd: dir });
  // the supervisor creates the database: open our own connection once it exists
  const store = await waitFor(async () => {
    if (!supervisor.running) throw new Error(`supervisor exited early: ${supervisor.stderr.slice(-3000)}`);
    if (!existsSync(env.DATABASE_PATH!)) return undefined;
    const s = await SharedState.open({ path: env.DATABASE_PATH!, lockTimeoutMs: 20_000 });
    if (await s.getAgent("SystemInitializer")) return s;
    await s.close();
    return undefined;
  }, { timeoutMs: START_TIMEOUT, intervalMs: 100, message: "supervisor created the database" });
  const fleet = { dir, db: env.DATABASE_PATH!, logDir: env.LOG_DIR!, env, supervisor, store };
  fleets.push(fleet);
  return fleet;
}

export async function agentsByName(store: SharedState): Promise<Map<string, AgentRecord>> {
  return new Map((await store.getRegisteredAgents()).map((a) => [a.name, a]));
}

/** Waits until every named agent is `active` with a live pid; returns their records. */
export async function waitActive(f: Fleet, names: string[], timeoutMs = START_TIMEOUT): Promise<Map<string, AgentRecord>> {
  return waitFor(async () => {
    if (!f.supervisor.running) throw new Error(`supervisor exited: ${f.supervisor.stderr.slice(-3000)}`);
    const all = await agentsByName(f.store);
    return names.every((n) => all.get(n)?.state === "active" && pidAlive(all.get(n)?.pid)) ? all : undefined;
  }, { timeoutMs, intervalMs: 100, message: `${names.join(", ")} active` });
}

/** Everything the supervisor's log files say (JSON lines), as parsed objects. */
export function supervisorLog(f: Fleet): Array<Record<string, unknown>> {
  if (!existsSync(f.logDir)) return [];
  return readdirSync(f.logDir)
    .filter((n) => n.startsWith("agent_supervisor-"))
    .flatMap((n) => readFileSync(join(f.logDir, n), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>));
}

/** The supervisor's warnings/errors and the transitions, for assertion messages. */
export async function describeFleet(f: Fleet): Promise<string> {
  const log = supervisorLog(f).filter((l) => l.level !== "info").map((l) => `${String(l.timestamp)} ${String(l.level)} ${String(l.message)}`);
  const story = (await f.store.getTransitions({ limit: 200 })).map((t) => `${new Date(t.at).toISOString()} ${t.agent} ${t.from}->${t.to} ${t.reason ?? ""}`);
  return ["supervisor log:", ...log, "transitions:", ...story].join("\n");
}

/** Pids of the fleet's processes known to the DB (agents and the supervisor's record). */
export async function fleetPids(f: Fleet): Promise<number[]> {
  const pids = new Set<number>();
  try {
    for (const a of await f.store.getRegisteredAgents()) if (a.pid) pids.add(a.pid);
    const rec = await f.store.fleet.getSystemState<SupervisorRecord>(SYSTEM_KEYS.supervisor);
    for (const c of rec?.children ?? []) pids.add(c.pid);
  } catch {
    /* store closed */
  }
  return [...pids].filter((p) => p !== process.pid);
}

/** Agent processes whose environment marks them as started by a supervisor on `db`. */
export function agentProcessesOf(db: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = readFileSync(`/proc/${d}/environ`, "utf8").split("\0");
      if (env.some((e) => e.startsWith("BG_SUPERVISOR_PID=")) && env.includes(`DATABASE_PATH=${db}`)) {
        out.push(Number(d));
      }
    } catch {
      /* gone or not ours */
    }
  }
  return out;
}

/** SIGKILLs the supervisors and every agent process of the fleets started here; closes stores. */
export async function killFleets(): Promise<void> {
  for (const f of fleets.splice(0)) {
    f.supervisor.kill("SIGKILL");
    await f.supervisor.exited;
    const pids = new Set([...(await fleetPids(f)), ...agentProcessesOf(f.db)]);
    for (const p of pids) if (pidAlive(p) && isFleetProcess(p, f.db)) process.kill(p, "SIGKILL");
    await waitFor(() => [...pids].every((p) => !pidAlive(p) || !isFleetProcess(p, f.db)), { timeoutMs: 10_000 }).catch(() => undefined);
    await f.store.close().catch(() => undefined);
  }
  await sleep(0);
}

function isFleetProcess(pid: number, db: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`DATABASE_PATH=${db}`);
  } catch {
    return false;
  }
}

export { pidAlive };

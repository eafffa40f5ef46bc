/**
 * One agent process: spawned with an IPC channel and the lifeline preloaded (so it exits when the
 * supervisor dies, see lifeline.ts), its stdout/stderr passed through. The package's own code runs
 * compiled (dist/) when the supervisor does; tsx is loaded only when something TypeScript is run:
 * a user's own .ts agent module, or the whole package when the supervisor itself runs from src/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Config } from "../config/index.js";
import { HELD_ENV } from "../agents/runtime/start-gate.js";
import { AGENT_MAIN, LIFELINE, type AgentSpec } from "./agent-specs.js";
import type { StartGate } from "./start-gate.js";

export interface AgentChild {
  spec: AgentSpec;
  proc: ChildProcess;
  pid: number;
  startedAt: number;
  /** When the supervisor first saw it `active` under this pid: a stable run is counted from here. */
  activeAt?: number;
  /** Resolves with the exit code/signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Why the supervisor is stopping it (stale, restart request); used in the next transition's reason. */
  stopReason?: string;
  /** Restart at once when it exits (a person asked). */
  restartNow?: boolean;
  /** Killed for holding the state lock past LOCK_TIMEOUT: the cause of the writes refused meanwhile. */
  heldTheLock?: boolean;
}

let tsxLoader: string | undefined;
const TYPESCRIPT = /\.(m|c)?ts$/;

/** `--import` flags: tsx when anything loaded is TypeScript, then the lifeline, before the entry. */
export function preloadArgs(entry: string, module: string): string[] {
  const args: string[] = [];
  if ([entry, module, LIFELINE].some((file) => TYPESCRIPT.test(file))) {
    tsxLoader ??= import.meta.resolve("tsx");
    args.push("--import", tsxLoader);
  }
  return [...args, "--import", pathToFileURL(LIFELINE).href];
}

/**
 * V8 flags of every agent process: an agent allocates little per cycle, so a 1 MB young generation
 * (default 16 MB) costs it no time and saves about 13 MB of RSS each; V8's memory reducer shrinks
 * the heap once start-up is over with one full GC instead of three (the second and third free
 * nothing there, and cost about 80 ms of CPU). See docs/performance.md.
 */
export const AGENT_NODE_FLAGS = ["--max-semi-space-size=1", "--memory-reducer-single-gc"];

/** With a closed `gate`, a graph agent is started held: it loads its code, then waits for the gate to open. */
export function spawnAgent(spec: AgentSpec, config: Config, now: number, gate?: StartGate): AgentChild {
  const entry = spec.kind === "graph" ? (spec.runtime ?? AGENT_MAIN) : spec.module;
  const held = spec.kind === "graph" && gate !== undefined && !gate.isOpen;
  const proc = spawn(process.execPath, [...AGENT_NODE_FLAGS, ...(spec.nodeFlags ?? []), ...preloadArgs(entry, spec.module), entry], {
    env: {
      ...process.env,
      ...spec.env,
      AGENT_NAME: spec.name,
      DATABASE_PATH: resolve(config.databasePath),
      LOG_DIR: resolve(config.logDir),
      HOST_NAME: config.hostName,
      BG_AGENT_MODULE: spec.module,
      BG_SUPERVISOR_PID: String(process.pid),
      [HELD_ENV]: held ? "1" : "",
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${spec.name} (${entry})`);
  if (held) gate.watch(proc);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    proc.once("exit", (code, signal) => done({ code, signal }));
  });
  // the IPC channel is only a lifeline: never let it keep the supervisor's event loop alive
  proc.channel?.unref();
  return { spec, proc, pid: proc.pid, startedAt: now, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export async function stopAgent(child: AgentChild, graceMs: number): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((done) => {
    timer = setTimeout(() => {
      child.proc.kill("SIGKILL");
      done();
    }, graceMs);
  });
  await Promise.race([child.exited, killed]);
  clearTimeout(timer);
  await child.exited;
}

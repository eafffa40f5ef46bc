/**
 * Child processes for integration tests: `spawnTs(file)` runs a TypeScript file with
 * `node --import tsx`, collects its output, and `killChildren()` (call it in afterEach) SIGKILLs
 * whatever is still running, so a failed test never leaves processes behind.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sleep } from "./wait.js";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** tsx's loader by absolute URL, so a child may run with any working directory. */
const TSX_LOADER = pathToFileURL(resolve(REPO_ROOT, "node_modules/tsx/dist/loader.mjs")).href;

export interface Child {
  readonly proc: ChildProcess;
  readonly pid: number;
  stdout: string;
  stderr: string;
  /** Exit code (null when killed by a signal) and signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  kill(signal?: NodeJS.Signals): void;
  /** Waits until stdout has a line matching `re`; returns the match. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  args?: string[];
  cwd?: string;
  /** A command prefix that execs the rest (e.g. `ip netns exec NAME`): the child's pid stays node's. */
  wrap?: string[];
}

const live = new Set<Child>();

export function spawnTs(file: string, opts: SpawnOptions = {}): Child {
  const argv = [process.execPath, "--import", TSX_LOADER, resolve(REPO_ROOT, file), ...(opts.args ?? [])];
  const [cmd, ...rest] = [...(opts.wrap ?? []), ...argv];
  const proc = spawn(cmd!, rest, {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: "", ...opts.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    proc.once("exit", (code, signal) => {
      running = false;
      live.delete(child);
      res({ code, signal });
    });
  });
  const child: Child = {
    proc,
    pid: proc.pid ?? -1,
    stdout: "",
    stderr: "",
    exited,
    get running() {
      return running;
    },
    kill: (signal = "SIGKILL") => {
      if (running) proc.kill(signal);
    },
    waitForLine: async (re, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(child.stdout);
        if (m) return m;
        if (!running) throw new Error(`${file} exited before printing ${re}; stderr: ${child.stderr.slice(-2000)}`);
        if (Date.now() > deadline) throw new Error(`${file} did not print ${re} within ${timeoutMs} ms; stderr: ${child.stderr.slice(-2000)}`);
        await sleep(20);
      }
    },
  };
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => (child.stdout += d));
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => (child.stderr += d));
  live.add(child);
  return child;
}

/** SIGKILLs every child still running and waits for them to be gone. */
export async function killChildren(): Promise<void> {
  const all = [...live];
  for (const c of all) c.kill("SIGKILL");
  await Promise.all(all.map((c) => c.exited));
}

/** SIGTERMs a child started with node:child_process (if it still runs) and resolves once it has exited. */
export async function stopProcess(proc: ChildProcess | undefined): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((r) => proc.once("exit", r));
  proc.kill("SIGTERM");
  await gone;
}

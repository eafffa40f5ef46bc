/**
 * Runs the real `bg-agents` binary (bin/bg-agents.js, from src/ through tsx: BG_AGENTS_FROM_SOURCE, so
 * a test never runs a dist/ older than the code under test) as a child process in a given
 * working directory, with a clean environment (no colour, no inherited DATABASE_PATH & co.).
 * `killCliChildren()` (call it in afterEach) SIGKILLs any that still run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { VARIABLES } from "../../src/config/index.js";
import { REPO_ROOT } from "./processes.js";
import { sleep } from "./wait.js";

export const BIN = resolve(REPO_ROOT, "bin/bg-agents.js");

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  readonly proc: ChildProcess;
  stdout: string;
  stderr: string;
  readonly done: Promise<CliResult>;
  waitForStdout(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export interface CliOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
}

/** Variables of the project that must not leak from the test runner's environment into the child. */
const PROJECT_VARS = [...VARIABLES.map((v) => v.env), "BG_AGENTS_URL"];

const live = new Set<ChildProcess>();

export function startCli(args: string[], opts: CliOptions): CliRun {
  const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: "", FORCE_COLOR: undefined, NO_COLOR: "1", BG_AGENTS_FROM_SOURCE: "1" };
  for (const v of PROJECT_VARS) delete env[v];
  const proc = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { ...env, ...opts.env }, stdio: ["ignore", "pipe", "pipe"] });
  live.add(proc);
  const run: CliRun = {
    proc,
    stdout: "",
    stderr: "",
    done: new Promise((res) => {
      proc.once("close", (code, signal) => {
        live.delete(proc);
        res({ code, signal, stdout: run.stdout, stderr: run.stderr });
      });
    }),
    waitForStdout: async (re, timeoutMs = 20_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(run.stdout);
        if (m) return m;
        if (proc.exitCode !== null) throw new Error(`bg-agents ${args.join(" ")} exited (${proc.exitCode}) before printing ${re}; stderr: ${run.stderr}`);
        if (Date.now() > deadline) throw new Error(`bg-agents ${args.join(" ")} did not print ${re} within ${timeoutMs} ms; stdout: ${run.stdout}; stderr: ${run.stderr}`);
        await sleep(25);
      }
    },
  };
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => (run.stdout += d));
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => (run.stderr += d));
  return run;
}

/** Runs `bg-agents ...args` to completion (killed after `timeoutMs`). */
export async function runCli(args: string[], opts: CliOptions & { timeoutMs?: number }): Promise<CliResult> {
  const run = startCli(args, opts);
  const timer = setTimeout(() => run.proc.kill("SIGKILL"), opts.timeoutMs ?? 30_000);
  try {
    return await run.done;
  } finally {
    clearTimeout(timer);
  }
}

/** Parses a command's --json stdout, with the output in the error when it is not JSON. */
export function parseJson<T = any>(r: CliResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}): ${r.stdout}\nstderr: ${r.stderr}`);
  }
}

export async function killCliChildren(): Promise<void> {
  const all = [...live];
  for (const p of all) p.kill("SIGKILL");
  await Promise.all(all.map((p) => (p.exitCode !== null || p.signalCode !== null ? undefined : new Promise((r) => p.once("close", r)))));
}

/** Child processes for benches: fork a TypeScript file through tsx, and always clean up. */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

const live = new Set<ChildProcess>();
process.on("exit", () => {
  for (const c of live) c.kill("SIGKILL");
});

/**
 * Forks `file` (absolute path to a .ts file) with tsx and an IPC channel. With BENCH_CPU_PROF=<dir>
 * every child writes a V8 CPU profile there when it exits normally (SIGTERM, not SIGKILL).
 */
export function forkTs(file: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = fork(file, [], { cwd: REPO_ROOT, env, execArgv: ["--import", "tsx", ...prof], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  live.add(child);
  child.once("exit", () => live.delete(child));
  return child;
}

/** Resolves with the next IPC message of `child` that passes `match`; rejects if it exits first. */
export function nextMessage<T>(child: ChildProcess, match: (m: T) => boolean, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`bench: no message from pid ${child.pid} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: T) => {
      if (match(m)) done(undefined, m);
    };
    const onExit = (code: number | null, sig: string | null) => done(new Error(`bench: pid ${child.pid} exited (${code ?? sig}) before answering`));
    function done(err?: Error, m?: T) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (err) reject(err);
      else resolve(m as T);
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 5000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill(signal);
  });
}

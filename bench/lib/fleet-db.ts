/** A fleet started at its defaults for a bench, and what its SQLite file says about its agent processes. */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { REPO_ROOT } from "./procs.js";

export interface BenchFleet {
  child: ChildProcess;
  dbPath: string;
  /** The last 4 kB it wrote to stderr. */
  stderr(): string;
}

/**
 * `node bin/<entry> ...args` in `dir` with the default settings (the bench's environment's own
 * AGENT_NAME, HEARTBEAT_INTERVAL, STALE_THRESHOLD and LangSmith keys removed), tracing off.
 */
export function startBenchFleet(dir: string, dbFile: string, entry: string, args: string[] = []): BenchFleet {
  const dbPath = join(dir, dbFile);
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_PATH: dbPath, LOG_DIR: join(dir, "logs"), LOG_LEVEL: "INFO",
    LANGSMITH_TRACING: "false", LANGCHAIN_TRACING_V2: "false" };
  for (const k of ["AGENT_NAME", "HEARTBEAT_INTERVAL", "STALE_THRESHOLD", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"]) delete env[k];
  const child = spawn(process.execPath, [join(REPO_ROOT, "bin", entry), ...args], { cwd: dir, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  return { child, dbPath, stderr: () => stderr };
}

export interface AgentProc { name: string; state: string; pid: number | null }

/** Every agent record (name, state, pid); empty while the file is not created or not migrated yet. */
export function agentProcs(dbPath: string): AgentProc[] {
  if (!existsSync(dbPath)) return [];
  try {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare("SELECT name, state, pid FROM agents ORDER BY name").all() as AgentProc[];
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

export const alive = (pid: number) => existsSync(`/proc/${pid}/stat`);

/** The pids of `pid`'s direct children, whichever of its threads started them (tsx's esbuild service, say). */
export function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

/** What a running fleet's SQLite file says about its agent processes, read without a lock. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import Database from "better-sqlite3";

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

/**
 * Who holds a flock on a file, read from Linux's /proc/locks (costs nothing on the hot path;
 * used only to explain a LockTimeoutError and by `bg-agents db-check`).
 */
import { readFileSync, statSync } from "node:fs";

export interface LockHolder {
  pid: number;
  command: string;
}

export function lockHolders(path: string): LockHolder[] {
  let ino: number;
  let locks: string;
  try {
    ino = statSync(path).ino;
    locks = readFileSync("/proc/locks", "utf8");
  } catch {
    return [];
  }
  const holders: LockHolder[] = [];
  for (const line of locks.split("\n")) {
    // "1: FLOCK  ADVISORY  WRITE 12345 fd:01:123456 0 EOF"  (blocked waiters have "->")
    const m = /^\d+: FLOCK\s+\S+\s+\S+\s+(\d+)\s+[0-9a-f]+:[0-9a-f]+:(\d+)/.exec(line);
    if (m && Number(m[2]) === ino) holders.push({ pid: Number(m[1]), command: commandOf(Number(m[1])) });
  }
  return holders;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ").slice(0, 200);
  } catch {
    return "(exited)";
  }
}

export function describeHolders(path: string, h: LockHolder[] = lockHolders(path)): string {
  if (h.length === 0) return "no process (it was released just now, or the lock is on a network file system)";
  return h.map((x) => `pid ${x.pid} (${x.command})`).join(", ");
}

/**
 * SIGSTOP a process at a moment it does (or does not) hold the state lock. Frozen mid-write it holds
 * the lock until LOCK_TIMEOUT and stalls every writer, the monitor too: a different fault (a hung
 * lock holder) from the one a test of a frozen agent means.
 */
import { readFileSync } from "node:fs";
import { lockHolders } from "../../src/locking/lock-holders.js";
import { sleep } from "./wait.js";

/** SIGSTOP, then wait until the kernel says it is stopped: only then is its lock state settled. */
async function stop(pid: number): Promise<void> {
  process.kill(pid, "SIGSTOP");
  for (let i = 0; i < 1000; i++) {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "T") return;
    await sleep(1);
  }
  throw new Error(`pid ${pid} did not stop after SIGSTOP`);
}

async function freezeWhen(pid: number, lockPath: string, holding: boolean, attempts: number): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    await stop(pid);
    if (lockHolders(lockPath).some((h) => h.pid === pid) === holding) return;
    process.kill(pid, "SIGCONT");
    await sleep(holding ? i % 2 : 2);
  }
  throw new Error(`pid ${pid} ${holding ? "never held" : "held"} ${lockPath} at every one of ${attempts} tries`);
}

export function freezeOutsideTheLock(pid: number, lockPath: string, attempts = 200): Promise<void> {
  return freezeWhen(pid, lockPath, false, attempts);
}

/** SIGSTOP a process at a moment it holds the state lock: a hung lock holder, stalling every writer. */
export function freezeInsideTheLock(pid: number, lockPath: string, attempts = 20_000): Promise<void> {
  return freezeWhen(pid, lockPath, true, attempts);
}

/**
 * SIGSTOP a process at a moment it does not hold the state lock. Frozen mid-write it would hold the
 * lock until LOCK_TIMEOUT and stall every writer, the monitor too: a different fault (a hung lock
 * holder, tested on its own) from the one a test of a frozen agent means.
 */
import { lockHolders } from "../../src/locking/lock-holders.js";
import { sleep } from "./wait.js";

export async function freezeOutsideTheLock(pid: number, lockPath: string, attempts = 200): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    process.kill(pid, "SIGSTOP");
    if (!lockHolders(lockPath).some((h) => h.pid === pid)) return;
    process.kill(pid, "SIGCONT");
    await sleep(2);
  }
  throw new Error(`pid ${pid} held ${lockPath} at every one of ${attempts} tries`);
}

/** SIGSTOP a process at a moment it holds the state lock: a hung lock holder, stalling every writer. */
export async function freezeInsideTheLock(pid: number, lockPath: string, attempts = 20_000): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    process.kill(pid, "SIGSTOP");
    if (lockHolders(lockPath).some((h) => h.pid === pid)) return;
    process.kill(pid, "SIGCONT");
    await sleep(i % 2);
  }
  throw new Error(`pid ${pid} never held ${lockPath} in ${attempts} tries`);
}

/**
 * One supervisor per database: a kernel flock on `<db>.supervisor.lock`, held for the supervisor's
 * life (the kernel drops it when the process dies, even by SIGKILL).
 */
import { closeSync, openSync } from "node:fs";
import fsExt from "fs-ext";
import { BgAgentsError } from "../errors/index.js";
import { lockHolders } from "../locking/lock-holders.js";

export class SupervisorRunningError extends BgAgentsError {
  constructor(readonly databasePath: string, holder: string) {
    super("SUPERVISOR_RUNNING", `Another supervisor already runs on ${databasePath} (${holder}). Stop it first, or use bg-agents restart to restart its agents.`);
    this.name = "SupervisorRunningError";
  }
}

export function supervisorLockPath(databasePath: string): string {
  return `${databasePath}.supervisor.lock`;
}

export class InstanceLock {
  private fd: number | undefined;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /** Takes the lock or throws SupervisorRunningError naming the holder. */
  static acquire(databasePath: string): InstanceLock {
    const path = supervisorLockPath(databasePath);
    const fd = openSync(path, "a");
    try {
      fsExt.flockSync(fd, "exnb");
    } catch (e) {
      closeSync(fd);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN" || code === "EWOULDBLOCK") {
        const holders = lockHolders(path);
        throw new SupervisorRunningError(databasePath, holders.length ? holders.map((h) => `pid ${h.pid} ${h.command}`).join(", ") : "holder unknown");
      }
      throw e;
    }
    return new InstanceLock(path, fd);
  }

  /** Whether a supervisor holds the lock for `databasePath` right now. */
  static isHeld(databasePath: string): boolean {
    try {
      InstanceLock.acquire(databasePath).release();
      return false;
    } catch (e) {
      if (e instanceof SupervisorRunningError) return true;
      throw e;
    }
  }

  release(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd); // closing the descriptor drops the flock
    this.fd = undefined;
  }
}

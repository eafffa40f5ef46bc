/**
 * One supervisor per database: a kernel flock on `<db>.supervisor.lock`, held for the supervisor's
 * life (the kernel drops it when the process dies, even by SIGKILL).
 */
import { closeSync, openSync } from "node:fs";
import fsExt from "fs-ext";
import { lockHolders } from "../locking/lock-holders.js";
import { SupervisorRunningError } from "./errors.js";

export function supervisorLockPath(databasePath: string): string {
  return `${databasePath}.supervisor.lock`;
}

export class InstanceLock {
  private fd: number | undefined;

  private constructor(readonly path: string, fd: number) {
    this.fd = fd;
  }

  /** Takes the lock (creating the lock file) or throws SupervisorRunningError naming the holder. */
  static acquire(databasePath: string): InstanceLock {
    const path = supervisorLockPath(databasePath);
    const fd = openSync(path, "a");
    if (!tryLock(fd)) {
      closeSync(fd);
      const holders = lockHolders(path);
      throw new SupervisorRunningError(databasePath, holders.length ? holders.map((h) => `pid ${h.pid} ${h.command}`).join(", ") : "holder unknown");
    }
    return new InstanceLock(path, fd);
  }

  /** Whether a supervisor holds the lock for `databasePath` right now. Creates no file: no lock file, no supervisor. */
  static isHeld(databasePath: string): boolean {
    let fd: number;
    try {
      fd = openSync(supervisorLockPath(databasePath), "r");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw e;
    }
    try {
      return !tryLock(fd);
    } finally {
      closeSync(fd); // drops the lock if we got it
    }
  }

  release(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd); // closing the descriptor drops the flock
    this.fd = undefined;
  }
}

/** An exclusive flock without waiting: false when another descriptor holds it. */
function tryLock(fd: number): boolean {
  try {
    fsExt.flockSync(fd, "exnb");
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EAGAIN" || code === "EWOULDBLOCK") return false;
    throw e;
  }
}

import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";

/** Whether a process id is alive on this host (signal 0 tests without signalling; EPERM still means it exists). */
export function pidAlive(pid: number | null | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

let pidSpace: string | undefined;

/**
 * Names the space this process's pids live in: the kernel's boot id and the pid namespace, so two
 * processes with the same value can test each other's pids with pidAlive (a container on the same
 * kernel has its own pid namespace, so another value). Falls back to the host name off Linux.
 */
export function pidSpaceId(): string {
  if (pidSpace !== undefined) return pidSpace;
  try {
    const boot = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const ns = readlinkSync("/proc/self/ns/pid").replace(/\D/g, "");
    pidSpace = `${boot.slice(0, 8)}.${ns}`;
  } catch {
    pidSpace = hostname();
  }
  return pidSpace;
}

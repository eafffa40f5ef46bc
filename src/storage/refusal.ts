/**
 * Errors that mean "the storage refuses writes right now" (a shared cause: every process sees it
 * at once and it goes away on its own or by an operator's hand), as opposed to a bug or bad input.
 * Callers wait and retry instead of counting it as their own failure.
 */
import { isDatabaseError, isLockTimeoutError } from "../errors/index.js";

export interface StorageRefusal {
  /** The error code the refusal was recognised by (SQLITE_FULL, EROFS, LOCK_TIMEOUT, DB_UNAVAILABLE, ...). */
  code: string;
  /** What to do about it, naming `where` (the database file or server). */
  hint: string;
}

const SQLITE_FULL = new Set(["SQLITE_FULL", "ENOSPC", "SQLITE_IOERR_SHMSIZE"]);

/** The refusal `e` (or an error in its cause chain) stands for, or undefined for any other error. */
export function storageRefusal(e: unknown, where: string): StorageRefusal | undefined {
  for (let err = e, depth = 0; err && depth < 5; err = (err as { cause?: unknown }).cause, depth++) {
    const r = classify(err, where);
    if (r) return r;
  }
  return undefined;
}

function classify(e: unknown, where: string): StorageRefusal | undefined {
  if (isLockTimeoutError(e)) return { code: "LOCK_TIMEOUT", hint: `the state lock of ${where} is held too long by ${e.holder}; a supervisor kills a hung agent of its own` };
  if (isDatabaseError(e) && (e.code === "DB_UNAVAILABLE" || e.code === "DB_UNREACHABLE")) return { code: e.code, hint: `start the database server (${e.path}) or restore the network to it` };
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return undefined;
  if (SQLITE_FULL.has(code)) return { code, hint: `free space on the file system of ${where} (df -h ${where})` };
  if (code.startsWith("SQLITE_READONLY") || code === "EROFS") return { code, hint: `the database or its file system is read-only: check the mount (findmnt -T ${where}) and the file's owner and mode` };
  if (code === "EACCES" || code === "EPERM" || code === "SQLITE_PERM") return { code, hint: `this process may no longer write ${where}: check the owner and mode of the file and its directory` };
  if (code.startsWith("SQLITE_IOERR") || code === "EIO") return { code, hint: `the disk under ${where} reports I/O errors: check the device (dmesg) and free space` };
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return { code, hint: `another connection holds ${where} locked` };
  return undefined;
}

/** Where the configured database lives, for refusal hints: the file, or the server without its password. */
export function storageWhere(c: { databasePath: string; databaseUrl?: string }): string {
  return c.databaseUrl ? c.databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@") : c.databasePath;
}

/**
 * The file system that holds the database, seen from outside SQLite: free space (a full disk makes
 * every write fail with SQLITE_FULL while reads and even a small probe write into reused WAL pages
 * still pass) and whether it takes writes at all (a read-only mount, a directory we may not write).
 */
import { accessSync, constants, existsSync, statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";

export interface DiskSpace {
  dir: string;
  freeBytes: number;
  totalBytes: number;
  /** Why the directory or the file refuses writes (EROFS, EACCES), if it does. */
  notWritable?: string;
}

export function diskSpace(dbPath: string): DiskSpace | undefined {
  const file = resolve(dbPath);
  const dir = dirname(file);
  try {
    const s = statfsSync(dir);
    return { dir, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize, notWritable: refusal(dir) ?? (existsSync(file) ? refusal(file) : undefined) };
  } catch {
    return undefined;
  }
}

function refusal(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? "ERROR";
  }
}

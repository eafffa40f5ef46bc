/**
 * Looks at the state database from the outside, without opening it: does it exist, is it SQLite
 * (header), is it in WAL mode (header bytes 18-19), how big are it and its -wal/-shm files.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";

export type HeaderKind = "missing" | "empty" | "sqlite" | "not-sqlite";

export interface DbFileInfo {
  path: string;
  kind: HeaderKind;
  sizeBytes: number;
  walBytes: number;
  shmBytes: number;
  /** From the header: 2 = WAL, 1 = rollback journal. */
  walModeInHeader: boolean;
}

const SQLITE_HEADER = "SQLite format 3\0";

export function inspectDbFile(path: string): DbFileInfo {
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  const info: DbFileInfo = { path, kind: "missing", sizeBytes: 0, walBytes: size(`${path}-wal`), shmBytes: size(`${path}-shm`), walModeInHeader: false };
  if (!existsSync(path)) return info;
  info.sizeBytes = statSync(path).size;
  if (info.sizeBytes === 0) return { ...info, kind: "empty" };
  const buf = Buffer.alloc(20);
  const fd = openSync(path, "r");
  try {
    readSync(fd, buf, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.subarray(0, 16).toString("latin1") !== SQLITE_HEADER) return { ...info, kind: "not-sqlite" };
  return { ...info, kind: "sqlite", walModeInHeader: buf[18] === 2 && buf[19] === 2 };
}

/**
 * Opens the state database safely: a file that is not SQLite, or is corrupt, is refused with a
 * clear DatabaseError and never written to. Then WAL, synchronous=NORMAL, busy_timeout, foreign keys.
 */
import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import Database from "better-sqlite3";
import { DatabaseError, isDatabaseError } from "../../errors/index.js";
import { isMemoryPath } from "../location.js";
export { isMemoryPath };

export type Db = Database.Database;

const SQLITE_HEADER = "SQLite format 3\0";

/** Short enough not to stall the event loop; longer waits are retried with backoff by the caller. */
export const BUSY_TIMEOUT_MS = 250;

export interface OpenOptions {
  readonly?: boolean;
  /** Run PRAGMA quick_check before anything is written. @defaultValue true */
  check?: boolean;
  /** Refuses a file we must not touch (e.g. newer schema); runs before anything is written. */
  assertCompatible?: (db: Db) => void;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (!isMemoryPath(path)) assertSqliteHeader(path);
  let db: Db;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    throw new DatabaseError("DB_OPEN_FAILED", path,
      `Cannot open the state database ${path}: ${(e as Error).message}. Check the path and its directory's permissions (DATABASE_PATH).`, { cause: e });
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (opts.check !== false) quickCheck(db, path);
    // switching to WAL rewrites the header: only after every check that may refuse the file
    opts.assertCompatible?.(db);
    if (!opts.readonly) {
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
    }
    db.pragma("foreign_keys = ON");
    return db;
  } catch (e) {
    db.close();
    throw asDatabaseError(e, path);
  }
}

function assertSqliteHeader(path: string): void {
  if (!existsSync(path) || statSync(path).size === 0) return;
  const fd = openSync(path, "r");
  const buf = Buffer.alloc(16);
  try {
    readSync(fd, buf, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (buf.toString("latin1") !== SQLITE_HEADER) {
    throw new DatabaseError("DB_NOT_SQLITE", path,
      `${path} is not a SQLite database (its header is wrong). It was left untouched. ` +
        `Point DATABASE_PATH at another file, or move this one away if it is yours to replace.`);
  }
}

function quickCheck(db: Db, path: string): void {
  const rows = db.pragma("quick_check(5)") as { quick_check: string }[];
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== "ok");
  if (problems.length) {
    throw new DatabaseError("DB_CORRUPT", path,
      `The state database ${path} is corrupt (${problems.join("; ")}). It was left untouched. ` +
        `Restore it from a backup, or stop all agents and move it away to start fresh (bg-agents db-check explains more).`);
  }
}

/** Turns SQLITE_CORRUPT / SQLITE_NOTADB / SQLITE_BUSY into a DatabaseError that says what to do. */
export function asDatabaseError(e: unknown, path: string): unknown {
  if (isDatabaseError(e)) return e;
  const code = String((e as { code?: unknown })?.code ?? "");
  if (code.startsWith("SQLITE_NOTADB")) {
    return new DatabaseError("DB_NOT_SQLITE", path, `${path} is not a SQLite database. It was left untouched; point DATABASE_PATH elsewhere.`, { cause: e });
  }
  if (code.startsWith("SQLITE_CORRUPT")) {
    return new DatabaseError("DB_CORRUPT", path, `The state database ${path} is corrupt (${(e as Error).message}). It was left untouched; restore a backup or move it away.`, { cause: e });
  }
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return new DatabaseError("DB_BUSY", path,
      `The state database ${path} stayed locked by another connection (${code}). Find the process holding it (bg-agents db-check), or raise LOCK_TIMEOUT / RETRY_ATTEMPTS.`, { cause: e });
  }
  return e;
}

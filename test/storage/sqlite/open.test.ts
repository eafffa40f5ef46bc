/**
 * Opening the state database: a file that is not SQLite, a corrupt SQLite file, or one with a
 * newer schema is refused with a DatabaseError and left byte-for-byte untouched.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseError, isDatabaseError } from "../../../src/errors/index.js";
import { SCHEMA_VERSION, SharedState } from "../../../src/storage/sqlite/index.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

async function openError(path: string): Promise<DatabaseError> {
  const e = await SharedState.open({ path, lockTimeoutMs: 2000 }).then(
    async (s) => {
      await s.close();
      throw new Error(`${path} was opened`);
    },
    (err: unknown) => err,
  );
  if (!isDatabaseError(e)) throw e;
  return e;
}

/** A real SQLite file of ours with a few pages of data. */
async function makeDb(dir: string): Promise<string> {
  const path = join(dir, "state.db");
  const s = await SharedState.open({ path });
  for (let i = 0; i < 200; i++) await s.registerAgent(`agent-${i}-${"x".repeat(50)}`);
  await s.close();
  // fold the WAL into the main file so the file alone is the whole database
  const db = new Database(path);
  db.pragma("journal_mode = DELETE");
  db.close();
  return path;
}

describe("opening DATABASE_PATH", () => {
  it("creates a new database with WAL and the current schema version", async () => {
    const s = await openTestStore();
    expect(s.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(s.db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(s.db.pragma("synchronous", { simple: true })).toBe(1); // NORMAL
  });

  it("refuses a text file and leaves it untouched", async () => {
    const path = join(makeTempDir(), "notes.txt");
    writeFileSync(path, "these are my notes, not a database\n".repeat(100));
    const before = sha256(path);
    const e = await openError(path);
    expect(e.code).toBe("DB_NOT_SQLITE");
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/not a SQLite database/);
    expect(e.message).toMatch(/left untouched/);
    expect(sha256(path)).toBe(before);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it("refuses a corrupt SQLite file (valid header, garbage pages) and leaves it untouched", async () => {
    const dir = makeTempDir();
    const path = await makeDb(dir);
    const bytes = readFileSync(path);
    const pageSize = bytes.readUInt16BE(16);
    // keep page 1 (header + schema), overwrite every later page with garbage
    for (let i = pageSize; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(path, bytes);
    const before = sha256(path);
    const e = await openError(path);
    expect(e.code).toBe("DB_CORRUPT");
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/corrupt/);
    expect(e.message).toMatch(/left untouched/);
    expect(sha256(path)).toBe(before);
  });

  it("refuses a truncated SQLite file and leaves it untouched", async () => {
    const path = await makeDb(makeTempDir());
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const before = sha256(path);
    const e = await openError(path);
    expect(e.code).toBe("DB_CORRUPT");
    expect(e.message).toMatch(/left untouched/);
    expect(sha256(path)).toBe(before);
  });

  it("refuses a file with a newer schema version and leaves it untouched", async () => {
    const dir = makeTempDir();
    const path = await makeDb(dir);
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = sha256(path);
    const e = await openError(path);
    expect(e.code).toBe("DB_SCHEMA_NEWER");
    expect(e.message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect(e.message).toMatch(/Upgrade/);
    expect(sha256(path)).toBe(before);
  });

  it("refuses a SQLite database made by another program that has our table names", async () => {
    const path = join(makeTempDir(), "other.db");
    const db = new Database(path);
    db.exec("CREATE TABLE agents (id INTEGER PRIMARY KEY, what TEXT); INSERT INTO agents(what) VALUES ('theirs')");
    db.close();
    const before = sha256(path);
    const e = await openError(path);
    expect(e.code).toBe("DB_NOT_SQLITE");
    expect(e.message).toMatch(/another program/);
    expect(sha256(path)).toBe(before);
  });

  it("opens an existing database of ours again and keeps its data", async () => {
    const path = await makeDb(makeTempDir());
    const s = await openTestStore({ path });
    expect((await s.summary()).total).toBe(200);
  });

  it("fails with DB_OPEN_FAILED when the directory does not exist", async () => {
    const e = await openError(join(makeTempDir(), "missing-dir", "state.db"));
    expect(e.code).toBe("DB_OPEN_FAILED");
    expect(e.message).toMatch(/DATABASE_PATH/);
  });
});

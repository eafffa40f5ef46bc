import { describe, expect, it } from "vitest";
import { DatabaseError, LockTimeoutError, ValidationError } from "../../src/errors/index.js";
import { storageRefusal, storageWhere } from "../../src/storage/index.js";

const coded = (code: string, message = code) => Object.assign(new Error(message), { code });

describe("storageRefusal: what counts as the storage refusing writes", () => {
  it("recognises disk full, read-only, permissions, I/O errors, lock timeouts and a lost server, with advice naming the place", () => {
    expect(storageRefusal(coded("SQLITE_FULL", "database or disk is full"), "/var/db/state.db")).toEqual({ code: "SQLITE_FULL", hint: expect.stringMatching(/free space on the file system of \/var\/db\/state\.db/) });
    expect(storageRefusal(coded("SQLITE_READONLY_DBMOVED"), "/x.db")?.hint).toMatch(/read-only/);
    expect(storageRefusal(coded("EROFS"), "/x.db")?.hint).toMatch(/read-only/);
    expect(storageRefusal(coded("EACCES"), "/x.db")?.hint).toMatch(/owner and mode/);
    expect(storageRefusal(coded("SQLITE_IOERR_WRITE"), "/x.db")?.hint).toMatch(/I\/O errors/);
    expect(storageRefusal(new LockTimeoutError("/x.db.lock", 400, "pid 7 (node)", [7]), "/x.db")).toMatchObject({ code: "LOCK_TIMEOUT", hint: expect.stringMatching(/pid 7/) });
    expect(storageRefusal(new DatabaseError("DB_UNAVAILABLE", "postgres://u@h/db", "server gone"), "x")?.code).toBe("DB_UNAVAILABLE");
  });

  it("looks through wrapping errors (a graph node's error carries the store's as its cause)", () => {
    expect(storageRefusal(new Error("node failed", { cause: coded("SQLITE_FULL") }), "/x.db")?.code).toBe("SQLITE_FULL");
  });

  it("is undefined for an agent's own errors, bad input and a corrupt or foreign file", () => {
    expect(storageRefusal(new Error("boom"), "/x.db")).toBeUndefined();
    expect(storageRefusal(new ValidationError("bad"), "/x.db")).toBeUndefined();
    expect(storageRefusal(new DatabaseError("DB_NOT_SQLITE", "/x.db", "not sqlite"), "/x.db")).toBeUndefined();
    expect(storageRefusal(coded("SQLITE_CORRUPT"), "/x.db")).toBeUndefined();
  });

  it("names a PostgreSQL server without its password", () => {
    expect(storageWhere({ databasePath: "x.db", databaseUrl: "postgres://bob:secret@db:5432/fleet" })).toBe("postgres://bob:***@db:5432/fleet");
    expect(storageWhere({ databasePath: "/var/lib/bg/state.db" })).toBe("/var/lib/bg/state.db");
  });
});

/**
 * The supervisor record read straight from the file (read-only, no lock, no migration), for
 * doctor on a database openStore() might refuse. The reading rules are src/supervision's.
 */
import { readSupervisorRecord, type SupervisorRecord, type SystemStateReader } from "../supervision/index.js";
import type { Db } from "../storage/sqlite/index.js";
import { inspectDbFile } from "./db-file.js";
import { hasTable, openReadOnly } from "./db-open.js";

/** system_state of an open read-only connection as a SystemStateReader; a missing table or a value that is not JSON reads as absent. */
export function rawSystemState(db: Db): SystemStateReader {
  return {
    getSystemState: async <T>(key: string) => {
      if (!hasTable(db, "system_state")) return undefined;
      const row = db.prepare(`SELECT value FROM system_state WHERE key = ?`).get(key) as { value: string } | undefined;
      try {
        return row ? (JSON.parse(row.value) as T) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** The record in the file at `path`, or undefined when there is none or the file cannot be read (doctor reports why itself). */
export async function readSupervisorRecordFile(path: string): Promise<SupervisorRecord | undefined> {
  if (inspectDbFile(path).kind !== "sqlite") return undefined;
  try {
    const db = openReadOnly(path);
    try {
      return await readSupervisorRecord(rawSystemState(db));
    } finally {
      db.close();
    }
  } catch {
    return undefined;
  }
}

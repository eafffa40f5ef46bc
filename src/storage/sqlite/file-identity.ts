/**
 * The database file a store opened, by device and inode. SQLite writes on into a deleted file (the
 * data is lost) and never notices one put in its place, so each write checks it (one stat under
 * the state lock) and refuses with DB_REPLACED.
 */
import { statSync } from "node:fs";
import { DatabaseError } from "../../errors/index.js";

function statOrUndefined(path: string) {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined; // e.g. its directory made unreadable: not the file we opened, as far as we can tell
  }
}

export class FileIdentity {
  private constructor(private readonly path: string, private readonly dev: number, private readonly ino: number) {}

  /** The file at `path` now. */
  static of(path: string): FileIdentity {
    const st = statSync(path);
    return new FileIdentity(path, st.dev, st.ino);
  }

  /** Throws DB_REPLACED unless the file at the path is still the one opened. */
  assertUnchanged(): void {
    const st = statOrUndefined(this.path);
    if (st?.ino === this.ino && st.dev === this.dev) return;
    throw new DatabaseError("DB_REPLACED", this.path,
      `The database file ${this.path} was ${st ? "replaced by another file" : "deleted"} while in use: nothing more is written ` +
        `(not to the old file, nor to what is there now). Stop the fleet (bg-agents stop), put the database back (or restore a backup), then start again.`);
  }
}

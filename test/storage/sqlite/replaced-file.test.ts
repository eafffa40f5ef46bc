/**
 * SQLite keeps writing into a database file that was deleted (the data is lost) and never notices
 * another file put in its place: the store checks on each write and refuses with DB_REPLACED,
 * leaving whatever is at the path untouched.
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../../src/storage/sqlite/index.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

const open: SharedState[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
  removeTempDirs();
});

async function storeIn(dir: string): Promise<SharedState> {
  const s = await SharedState.open({ path: join(dir, "state.db") });
  open.push(s);
  await s.registerAgent("A", { pid: 1 });
  return s;
}

describe("a database file deleted or replaced while open", () => {
  it("refuses writes once the file is deleted, and creates nothing in its place", async () => {
    const dir = makeTempDir();
    const s = await storeIn(dir);
    unlinkSync(s.path);
    await expect(s.updateHeartbeat("A", { pid: 1 })).rejects.toMatchObject({ code: "DB_REPLACED", message: expect.stringMatching(/state\.db was deleted while in use.*bg-agents stop/) });
    await expect(s.updateAgentState("A", "error", "x")).rejects.toMatchObject({ code: "DB_REPLACED" });
  });

  it("refuses writes once another file is put at the path, and leaves that file as it was", async () => {
    const dir = makeTempDir();
    const s = await storeIn(dir);
    const foreign = join(dir, "other");
    writeFileSync(foreign, "not ours\n");
    renameSync(foreign, s.path);
    await expect(s.updateHeartbeat("A", { pid: 1 })).rejects.toMatchObject({ code: "DB_REPLACED", message: expect.stringMatching(/replaced by another file/) });
    expect(readFileSync(s.path, "utf8")).toBe("not ours\n");
  });
});

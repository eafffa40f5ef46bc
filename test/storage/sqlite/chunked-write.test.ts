/**
 * A big heartbeat batch on SQLite is written as transactions of WRITE_CHUNK_ROWS with a turn of the
 * event loop between them, so a request that arrives meanwhile is answered before the batch ends;
 * every heartbeat is stored, and the states come back in batch order.
 */
import { afterEach, describe, expect, it } from "vitest";
import { WRITE_CHUNK_ROWS, writeInChunks } from "../../../src/storage/sqlite/chunked-write.js";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("writeInChunks", () => {
  it("writes chunks of at most `size` in order, yielding to the event loop between them", async () => {
    const events: string[] = [];
    const items = Array.from({ length: 10 }, (_, i) => i);
    const done = writeInChunks(items, 4, async (chunk) => {
      events.push(`write ${chunk.join(",")}`);
      setImmediate(() => events.push("io turn"));
      return chunk.map((n) => n * 2);
    });
    expect(await done).toEqual(items.map((n) => n * 2));
    expect(events).toEqual(["write 0,1,2,3", "io turn", "write 4,5,6,7", "io turn", "write 8,9"]);
  });

  it("a small batch is one write, with no turn in between", async () => {
    let writes = 0;
    await writeInChunks([1, 2, 3], 4, async (c) => (writes++, c));
    expect(writes).toBe(1);
  });
});

describe("SQLite updateHeartbeats of a batch larger than one chunk", () => {
  it("stores every heartbeat, answers in order, and lets other work run before it ends", async () => {
    const store = await openTestStore();
    await store.registerAgent("stopped-one");
    await store.updateAgentState("stopped-one", "stopped");
    const names = Array.from({ length: 3 * WRITE_CHUNK_ROWS + 5 }, (_, i) => `agent-${i}`);
    names.splice(200, 0, "stopped-one");
    let readDuringBatch: number | undefined;
    setImmediate(() => void store.countAgents().then((n) => (readDuringBatch = n)));
    const states = await store.updateHeartbeats(names.map((name) => ({ name })));
    expect(states).toHaveLength(names.length);
    expect(states.every((s) => s === "active")).toBe(true);
    expect((await store.getAgent("stopped-one"))?.state).toBe("active");
    expect(await store.countAgents()).toBe(names.length);
    // the read ran between two chunks: some agents were stored, not all
    expect(readDuringBatch).toBeGreaterThan(1);
    expect(readDuringBatch).toBeLessThan(names.length);
  });
});

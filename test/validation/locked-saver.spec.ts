/**
 * LangGraph's checkpointer conformance suite (@langchain/langgraph-checkpoint-validation) against
 * the saver from SharedState.createCheckpointer(): the official SqliteSaver behind our lock, with
 * retention pruning. A fresh SQLite file per checkpointer.
 *
 * Not collected by `npm test` directly (the suite needs vitest globals and ~700 tests of output):
 * test/storage/sqlite/checkpointer-conformance.int.test.ts runs it with test/validation/vitest.config.ts
 * and asserts on the counts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { validate } from "@langchain/langgraph-checkpoint-validation";
import { SharedState } from "../../src/storage/sqlite/index.js";

const open = new Map<BaseCheckpointSaver, { store: SharedState; dir: string }>();

validate({
  checkpointerName: "LockedSqliteSaver (SharedState.createCheckpointer)",
  async createCheckpointer() {
    const dir = mkdtempSync(join(tmpdir(), "bga-validate-"));
    // the shipped default retention (20 per thread), pruning included (it passes with 2 as well)
    const store = await SharedState.open({ path: join(dir, "state.db") });
    const saver = await store.createCheckpointer();
    open.set(saver, { store, dir });
    return saver;
  },
  async destroyCheckpointer(saver) {
    const entry = open.get(saver);
    open.delete(saver);
    if (!entry) return;
    await entry.store.close();
    rmSync(entry.dir, { recursive: true, force: true });
  },
});

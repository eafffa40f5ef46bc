/**
 * LangGraph's checkpointer conformance suite against PgStore.createCheckpointer(): the official
 * PostgresSaver on the store's pool, with the store's retries and retention pruning (the shipped
 * default, 20 per thread). A fresh pair of schemas per checkpointer in the database named by
 * BGA_VALIDATE_PG_URL, which test/storage/postgres/checkpointer-conformance.int.test.ts sets
 * after starting a throw-away cluster.
 */
import type { BaseCheckpointSaver } from "@langchain/langgraph-checkpoint";
import { validate } from "@langchain/langgraph-checkpoint-validation";
import { PgStore } from "../../src/storage/postgres/index.js";

const url = process.env.BGA_VALIDATE_PG_URL;
if (!url) throw new Error("BGA_VALIDATE_PG_URL is not set: run this through test/storage/postgres/checkpointer-conformance.int.test.ts");

const open = new Map<BaseCheckpointSaver, PgStore>();
let n = 0;

validate({
  checkpointerName: "RetainingPostgresSaver (PgStore.createCheckpointer)",
  async createCheckpointer() {
    const store = await PgStore.open({ url, schema: `validate_${process.pid}_${++n}` });
    const saver = await store.createCheckpointer();
    open.set(saver, store);
    return saver;
  },
  async destroyCheckpointer(saver) {
    const store = open.get(saver);
    open.delete(saver);
    await store?.close();
  },
});

/**
 * The storage conformance suite: what every StateStore backend must do, checked through the
 * StateStore interface only (no SQL, no backend internals). In the spirit of async-mutex's
 * mutexSuite(factory) and @langchain/langgraph-checkpoint-validation:
 *
 *   storageConformance("sqlite", async (opts) => ({ store, clock, close }));
 *
 * run from a *.test.ts beside the backend (test/storage/sqlite/conformance.test.ts). The factory
 * opens a fresh, empty store each call; see harness.ts for what the clock must do.
 */
import { describe } from "vitest";
import { adaptiveSweepSuite } from "./adaptive-sweep.js";
import { agentSuite } from "./agents.js";
import { checkpointerSuite } from "./checkpointer.js";
import { cleanupSuite } from "./cleanup.js";
import { feedSuite } from "./feed.js";
import { fleetSuite } from "./fleet.js";
import { useStores, type StoreFactory } from "./harness.js";
import { heartbeatBatchSuite } from "./heartbeat-batch.js";
import { listingSuite } from "./listing.js";
import { perfSuite } from "./perf.js";
import { pingSuite } from "./pings.js";
import { signalSuite } from "./signals.js";
import { silenceSuite } from "./silences.js";
import { stateCountSuite } from "./state-counts.js";
import { sweepSuite } from "./sweep.js";
import { traceSuite } from "./traces.js";

export type { StoreFactory, StoreFactoryOptions, StoreUnderTest, SuiteClock } from "./harness.js";

export function storageConformance(name: string, factory: StoreFactory): void {
  describe(`storage conformance: ${name}`, () => {
    const open = useStores(factory);
    agentSuite(open);
    heartbeatBatchSuite(open);
    sweepSuite(open);
    stateCountSuite(open);
    adaptiveSweepSuite(open);
    cleanupSuite(open);
    listingSuite(open);
    feedSuite(open);
    pingSuite(open);
    silenceSuite(open);
    signalSuite(open);
    fleetSuite(open);
    perfSuite(open);
    traceSuite(open);
    checkpointerSuite(open);
  });
}

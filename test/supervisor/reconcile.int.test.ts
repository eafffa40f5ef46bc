/**
 * Records match reality: once the supervisor runs no process for one of its agents, that agent's
 * record never stays `active`, even when the write made at its exit was lost (here: overwritten
 * afterwards, as a failed write leaves it); every tick puts the truth back.
 */
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { openStore } from "../../src/storage/index.js";
import { Supervisor } from "../../src/supervisor/supervisor.js";
import { captureLogger } from "../helpers/log-capture.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  removeTempDirs();
});

describe("supervisor reconciles its agents' records with its processes", () => {
  it("an agent whose process is gone and whose budget is spent is put back to failed after its record was made active", async () => {
    const dir = makeTempDir("bga-reconcile-");
    const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), HEARTBEAT_INTERVAL: "0.1", STALE_THRESHOLD: "5", RESTART_BUDGET: "1" });
    const store = await openStore(config);
    cleanups.push(() => store.close());
    const { logger } = captureLogger("supervisor");
    const sup = new Supervisor({ config, store, logger, agents: [{ name: "Crashy", kind: "script", module: resolve(REPO_ROOT, "test/supervisor/fixtures/exit-at-once.ts") }] });
    await sup.start();
    cleanups.push(() => sup.stop("test over"));
    await waitFor(async () => (await store.getAgent("Crashy"))?.state === "failed", { timeoutMs: 30_000, message: "Crashy never spent its budget" });

    // the record lies (a lost write, a stale copy): it says active with a pid that does not run
    await store.updateHeartbeat("Crashy", { pid: 999_999 });
    await store.updateAgentState("Crashy", "active", "a write that should not stand");
    const fixed = await waitFor(async () => {
      const a = await store.getAgent("Crashy");
      return a?.state === "failed" ? a : undefined;
    }, { timeoutMs: 10_000, message: "the record stayed active though no process runs Crashy" });
    expect(fixed.stateReason).toMatch(/no process runs it \(restart budget spent\); the record said active/);
    expect(sup.pids()).toEqual({});
  });
});

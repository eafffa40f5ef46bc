/**
 * The supervisor on a database that refuses its writes for a while (another process holds the
 * state lock past LOCK_TIMEOUT): its heartbeat fails every interval, and the log says so once,
 * counts, and says once when writes work again (issue 11: it logged `supervisor heartbeat failed`
 * twice a second for as long as it lasted).
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { openStore } from "../../src/storage/index.js";
import { Supervisor } from "../../src/supervisor/supervisor.js";
import { captureLogger } from "../helpers/log-capture.js";
import { killChildren, spawnTs } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { sleep, waitFor } from "../helpers/wait.js";

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await killChildren();
  for (const c of cleanups.splice(0).reverse()) await c();
  removeTempDirs();
});

describe("supervisor heartbeat on a database that refuses writes for a while", () => {
  it("logs one line when it starts failing, one when it works again, and counts in between", async () => {
    const dir = makeTempDir("bga-repeat-");
    const config = loadConfig({ DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), HEARTBEAT_INTERVAL: "0.1", STALE_THRESHOLD: "5", LOCK_TIMEOUT: "0.2", RETRY_ATTEMPTS: "1" });
    const store = await openStore(config);
    cleanups.push(() => store.close());
    const { logger, entries } = captureLogger("supervisor");
    const sup = new Supervisor({ config, store, logger, agents: [] });
    await sup.start();
    cleanups.push(() => sup.stop("test over"));
    const about = () => entries.filter((e) => /supervisor heartbeat/.test(e.message));

    const holder = spawnTs("test/fixtures/lock-holder.ts", { env: { DB: config.databasePath } });
    await holder.waitForLine(/holding/);
    await waitFor(() => about().length >= 1, { timeoutMs: 20_000, message: "the heartbeat never failed while the lock was held" });
    await sleep(2000); // the fault lasts several lock timeouts
    holder.kill("SIGKILL");
    await holder.exited;
    await waitFor(() => about().some((e) => /^supervisor heartbeat works again/.test(e.message)), { timeoutMs: 20_000, message: "the heartbeat never recovered" });

    const lines = about();
    expect(lines.map((e) => e.level)).toEqual(["warn", "info"]);
    expect(lines[0]!.message).toMatch(/^supervisor heartbeat failed: .*lock.*\(repeats are counted; one line when it works again\)$/i);
    expect(Number(/after (\d+) failure/.exec(lines[1]!.message)?.[1])).toBeGreaterThanOrEqual(3);
  });
});

/** The storage conformance suite against SQLite: a fresh file in a temp dir per test, opened by openStore with a ManualClock. */
import { join } from "node:path";
import { afterAll } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { openStore } from "../../../src/storage/index.js";
import { ManualClock } from "../../helpers/manual-clock.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";
import { storageConformance } from "../conformance/index.js";

afterAll(() => removeTempDirs());

storageConformance("sqlite", async (opts = {}) => {
  const clock = new ManualClock();
  const config = loadConfig({
    DATABASE_PATH: join(makeTempDir(), "state.db"),
    ...(opts.checkpointRetention === undefined ? {} : { CHECKPOINT_RETENTION: String(opts.checkpointRetention) }),
  });
  const store = await openStore(config, { clock });
  return { store, clock, close: () => store.close() };
});

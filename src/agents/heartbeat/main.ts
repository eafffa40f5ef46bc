/**
 * `bg-agents monitor` (and `npm start` before the supervisor): runs the HeartbeatHealthAgent alone on DATABASE_PATH until SIGINT/SIGTERM,
 * then marks it stopped, flushes logs and exits 0. Exit 2 on bad config or database, 1 on failure, 3 internal error.
 */
import { HeartbeatHealthAgent } from "./agent.js";
import { loadConfig } from "../../config/index.js";
import { loadDotEnv } from "../../env-file.js";
import { closeLogger, createLogger } from "../../logging/index.js";
import { runMain } from "../../process/index.js";
import { channelsFromConfig } from "../../notify/index.js";
import { openStore } from "../../storage/index.js";
import { describeTracing, tracingSettings } from "../../tracing/index.js";

async function main(): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  channelsFromConfig(config); // a bad NOTIFY_URLS entry stops start-up here, naming it
  const logger = createLogger({ agentName: config.agentName, level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
  const store = await openStore(config);
  const agent = new HeartbeatHealthAgent({ config, store, logger });
  const stop = (signal: string) => {
    logger.info(`${signal} received: stopping after the current cycle`, { module: "main" });
    void agent.stop();
  };
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  logger.info(describeTracing(tracingSettings()), { module: "main" });
  logger.info(`monitoring ${config.databasePath} every ${config.heartbeatIntervalMs / 1000}s (stale after ${config.staleThresholdMs / 1000}s)`, { module: "main" });
  let code = 0;
  try {
    await agent.start();
  } catch (e) {
    logger.error((e as Error).message, { module: "main" });
    code = 1;
  }
  await store.close();
  await closeLogger(logger);
  return code;
}

await runMain(main);

/**
 * Process entry of one supervised agent: `AGENT_NAME` names it, `BG_AGENT_MODULE` is the path of
 * its graph module (exports buildGraph). SIGTERM/SIGINT stop it cleanly (state `stopped`, exit 0).
 * When the supervisor's IPC channel closes (the supervisor died) it exits at once without
 * touching its record, so the next SystemInitializer sees and marks the leftover.
 * Exit codes: 0 stopped, 1 failed (RETRY_ATTEMPTS spent), 2 bad config/database/module.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig } from "../../config/index.js";
import { BgAgentsError, isBgAgentsError } from "../../errors/index.js";
import { closeLogger, createLogger } from "../../logging/index.js";
import { SharedState } from "../../storage/index.js";
import { runAgent, type AgentGraphModule } from "./run-agent.js";

async function main(): Promise<number> {
  const config = loadConfig();
  const modulePath = process.env.BG_AGENT_MODULE;
  if (!modulePath) throw new BgAgentsError("AGENT_MODULE_MISSING", "BG_AGENT_MODULE is not set: it must name the agent's graph module (e.g. graphs/heartbeat-health.ts).");
  const logger = createLogger({ agentName: config.agentName, level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
  const log = logger.child({ module: "agent-main" });
  const graphModule = (await import(pathToFileURL(resolve(modulePath)).href)) as Partial<AgentGraphModule>;
  if (typeof graphModule.buildGraph !== "function") {
    throw new BgAgentsError("AGENT_MODULE_INVALID", `${modulePath} does not export buildGraph(checkpointer?); every agent graph module must.`);
  }
  const store = await SharedState.fromConfig(config);
  const controller = new AbortController();
  const stop = (why: string) => {
    if (controller.signal.aborted) return;
    log.info(`${why}: stopping after the current step`);
    controller.abort();
  };
  process.once("SIGTERM", () => stop("SIGTERM received"));
  process.once("SIGINT", () => stop("SIGINT received"));
  process.once("disconnect", () => {
    log.warn("supervisor gone (IPC channel closed): exiting without touching the record");
    process.exit(1);
  });
  let code = 0;
  try {
    await runAgent({ name: config.agentName, graphModule: graphModule as AgentGraphModule, config, store, logger, signal: controller.signal });
  } catch (e) {
    log.error((e as Error).message);
    code = 1;
  }
  await store.close();
  await closeLogger(logger);
  return code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`bg-agents agent: ${isBgAgentsError(e) ? (e as Error).message : (e as Error)?.stack ?? String(e)}\n`);
    process.exit(2);
  },
);

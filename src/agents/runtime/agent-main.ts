/**
 * Process entry of one supervised agent: `AGENT_NAME` names it, `BG_AGENT_MODULE` is the path of
 * its graph module (exports buildGraph). SIGTERM/SIGINT stop it cleanly (state `stopped`, exit 0).
 * When the supervisor's IPC channel closes (the supervisor died) it exits at once without
 * touching its record, so the next SystemInitializer sees and marks the leftover. That listener
 * is installed before anything else is loaded (the rest comes in by dynamic import), so a
 * supervisor that dies while the agent is still starting does not leave it running as an orphan.
 * Exit codes (src/process/exit-codes.ts): 0 stopped, 1 failed (RETRY_ATTEMPTS spent) or supervisor
 * gone, 2 bad config/database/module, 3 internal error.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BgAgentsError } from "../../errors/index.js"; // no imports of their own: cheap
import { runMain } from "../../process/index.js";
import type { AgentGraphModule } from "./run-agent.js";

const GONE = "supervisor gone (IPC channel closed): exiting without touching the record";
/** Started with an IPC channel (by the supervisor): process.send stays defined after the channel closes. */
const supervised = typeof process.send === "function";
/** Where the disconnect is reported: stderr until the logger exists. */
let warn: (msg: string) => void = (msg) => process.stderr.write(`bg-agents agent: ${msg}\n`);

process.once("disconnect", () => {
  warn(GONE);
  process.exit(1);
});
if (supervised && !process.connected) {
  // the channel closed before the listener was in place (during node/loader start-up)
  warn(GONE);
  process.exit(1);
}

async function main(): Promise<number> {
  const [{ loadConfig }, { closeLogger, createLogger }, { openStore }, { runAgent }] = await Promise.all([
    import("../../config/index.js"),
    import("../../logging/index.js"),
    import("../../storage/index.js"),
    import("./run-agent.js"),
  ]);
  const config = loadConfig();
  const modulePath = process.env.BG_AGENT_MODULE;
  if (!modulePath) throw new BgAgentsError("AGENT_MODULE_MISSING", "BG_AGENT_MODULE is not set: it must name the agent's graph module (e.g. graphs/heartbeat-health.ts).");
  const logger = createLogger({ agentName: config.agentName, level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
  const log = logger.child({ module: "agent-main" });
  warn = (msg) => log.warn(msg);
  const graphModule = (await import(pathToFileURL(resolve(modulePath)).href)) as Partial<AgentGraphModule>;
  if (typeof graphModule.buildGraph !== "function") {
    throw new BgAgentsError("AGENT_MODULE_INVALID", `${modulePath} does not export buildGraph(checkpointer?); every agent graph module must.`);
  }
  const store = await openStore(config);
  const controller = new AbortController();
  const stop = (why: string) => {
    if (controller.signal.aborted) return;
    log.info(`${why}: stopping after the current step`);
    controller.abort();
  };
  process.once("SIGTERM", () => stop("SIGTERM received"));
  process.once("SIGINT", () => stop("SIGINT received"));
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

await runMain(main, { label: "bg-agents agent" });

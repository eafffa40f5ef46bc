/**
 * Process entry of one supervised agent: `AGENT_NAME` names it, `BG_AGENT_MODULE` is the path of
 * its graph module (exports buildGraph), run by the agent runner. SIGTERM/SIGINT stop it cleanly
 * (state `stopped`, exit 0). Started held (start-gate.ts), it loads its graph module, then waits to
 * be released before it touches the database; asked meanwhile, it runs the SystemInitializer's
 * graph for the supervisor (and keeps the store it opened for that). That it exits when the supervisor dies is the
 * lifeline's job, which spawnAgent preloads into every child (src/supervisor/lifeline.ts).
 * Exit codes (src/process/exit-codes.ts): 0 stopped, 1 failed (RETRY_ATTEMPTS spent),
 * 2 bad config/database/module, 3 internal error.
 */
import { systemClock } from "../../clock/index.js";
import { loadConfig, type Config } from "../../config/index.js";
import { backoffDelay } from "../../locking/index.js";
import { RepeatedProblem } from "../../logging/repeat.js";
import { BgAgentsError } from "../../errors/index.js";
import { closeLogger, createLogger, type Logger } from "../../logging/index.js";
import { runMain } from "../../process/index.js";
import { openStore, storageRefusal, storageWhere, type StateStore } from "../../storage/index.js";
import { createAgentContext } from "../context.js";
import { runInitializer } from "../initializer/run.js";
import { loadGraphModule } from "./graph-module.js";
import { runAgent } from "./run-agent.js";
import { untilReleased, type InitializeRequest } from "./start-gate.js";

async function main(): Promise<number> {
  const config = loadConfig();
  const modulePath = process.env.BG_AGENT_MODULE;
  if (!modulePath) throw new BgAgentsError("AGENT_MODULE_MISSING", "BG_AGENT_MODULE is not set: it must name the agent's graph module (e.g. graphs/heartbeat-health.ts).");
  const logger = createLogger({ agentName: config.agentName, level: config.logLevel, dir: config.logDir, retentionDays: config.logRetentionDays });
  const log = logger.child({ module: "agent-main" });
  const graphModule = await loadGraphModule(modulePath);
  const controller = new AbortController();
  const stop = (why: string) => {
    if (controller.signal.aborted) return;
    log.info(`${why}: stopping after the current step`);
    controller.abort();
  };
  process.once("SIGTERM", () => stop("SIGTERM received"));
  process.once("SIGINT", () => stop("SIGINT received"));
  let store: StateStore | undefined;
  const initialize = async (r: InitializeRequest) => {
    store ??= await openWhenWritable(config, log, controller.signal);
    if (!store) throw new BgAgentsError("AGENT_STOPPING", `${config.agentName} was stopped before the SystemInitializer ran`);
    const ctx = createAgentContext({ agentName: r.name, config, store, logger, signal: controller.signal, sessionId: r.sessionId });
    await runInitializer(ctx, r.agents, r.self);
  };
  await untilReleased(controller.signal, { initialize });
  if (!controller.signal.aborted) store ??= await openWhenWritable(config, log, controller.signal);
  if (controller.signal.aborted || !store) {
    await store?.close();
    await closeLogger(logger);
    return 0;
  }
  let code = 0;
  try {
    await runAgent({ name: config.agentName, graphModule, config, store, logger, signal: controller.signal });
  } catch (e) {
    log.error((e as Error).message);
    code = 1;
  }
  await store.close();
  await closeLogger(logger);
  return code;
}

/** openStore, waiting (not exiting) while the storage refuses writes: a restart would meet the same wall. */
async function openWhenWritable(config: Config, log: Logger, signal: AbortSignal): Promise<StateStore | undefined> {
  const refused = new RepeatedProblem(log, "opening the database");
  for (let attempt = 1; !signal.aborted; attempt++) {
    try {
      const store = await openStore(config);
      refused.recovered();
      return store;
    } catch (e) {
      const r = storageRefusal(e, storageWhere(config));
      if (!r) throw e;
      refused.failed(e, { hint: r.hint });
      await systemClock.sleep(backoffDelay(attempt, 250, config.backoffFactor, config.heartbeatIntervalMs), signal);
    }
  }
  return undefined;
}

await runMain(main, { label: "bg-agents agent" });

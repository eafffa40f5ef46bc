/**
 * SystemInitializer nodes: check → reconcile → register → record → activate, run once at start.
 * `check` refuses a corrupt database or a wrong schema version (start-up stops, file untouched);
 * `reconcile` marks records left behind by a previous run (live state, process gone) `stopped`
 * with a reason; `register` registers the initializer and the configured agents; `record` writes
 * the system state (start time, version, config without secrets).
 */
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { redactConfig } from "../../config/index.js";
import { DatabaseError } from "../../errors/index.js";
import { LIVE_STATES, SYSTEM_AGENTS, SYSTEM_KEYS } from "../../storage/index.js";
import { contextOf, type AgentContext } from "../context.js";
import { processHeartbeatInfo } from "../process-info.js";
import { pidAlive } from "../../process/index.js";
import type { InitStateType, InitUpdate, Leftover } from "./state.js";

export const INITIALIZER_AGENT = SYSTEM_AGENTS.initializer;

const ctx = (config?: LangGraphRunnableConfig): Promise<AgentContext> => contextOf(config, INITIALIZER_AGENT);

export async function checkDatabase(_state: InitStateType, config?: LangGraphRunnableConfig): Promise<InitUpdate> {
  const c = await ctx(config);
  const r = await c.store.fleet.checkDatabase();
  if (r.problems.length) {
    throw new DatabaseError("DB_CORRUPT", c.config.databasePath,
      `The state database ${c.config.databasePath} failed its integrity check (${r.problems.join("; ")}). It was left untouched; restore a backup or move it away.`);
  }
  if (r.schemaVersion !== r.expectedVersion) {
    throw new DatabaseError("DB_SCHEMA_NEWER", c.config.databasePath,
      `The state database ${c.config.databasePath} has schema version ${r.schemaVersion}, this build expects ${r.expectedVersion}. It was left untouched.`);
  }
  c.logger.info(`database ok (schema version ${r.schemaVersion})`, { module: "initializer" });
  return { schemaVersion: r.schemaVersion };
}

/** Records in a live state whose process on this host is gone: marked `stopped`, saying why. */
export async function reconcileLeftovers(_state: InitStateType, config?: LangGraphRunnableConfig): Promise<InitUpdate> {
  const c = await ctx(config);
  const here = c.config.hostName;
  const live = await c.store.getRegisteredAgents({ states: [...LIVE_STATES] });
  const leftovers: Leftover[] = [];
  for (const a of live) {
    if (a.host !== here || !a.pid || pidAlive(a.pid)) continue;
    await c.store.updateAgentState(a.name, "stopped", `left behind by a previous run: was ${a.state} but process ${a.pid} on ${here} is gone`);
    leftovers.push({ name: a.name, pid: a.pid, state: a.state });
    c.logger.warn(`leftover from a previous run: ${a.name} was ${a.state} but process ${a.pid} is gone; marked stopped`, { module: "initializer", leftover: a.name });
  }
  return { leftovers };
}

export async function registerAgents(state: InitStateType, config?: LangGraphRunnableConfig): Promise<InitUpdate> {
  const c = await ctx(config);
  await c.store.registerAgent(c.agentName, { ...(state.self ?? processHeartbeatInfo(c.version)), reason: "system starting", meta: { role: "supervisor" } });
  const wanted = state.agents.filter((n) => n !== c.agentName);
  const registered = await c.store.fleet.ensureRegistered(wanted, "registered by SystemInitializer; not started yet");
  if (registered.length) c.logger.info(`registered ${registered.join(", ")}`, { module: "initializer" });
  return { registered };
}

export async function recordSystem(state: InitStateType, config?: LangGraphRunnableConfig): Promise<InitUpdate> {
  const c = await ctx(config);
  await c.store.fleet.setSystemState(SYSTEM_KEYS.system, {
    startedAt: c.clock.now(), version: c.version, pid: state.self?.pid ?? process.pid, host: c.config.hostName, schemaVersion: state.schemaVersion,
    leftovers: state.leftovers.map((l) => l.name),
  });
  await c.store.fleet.setSystemState(SYSTEM_KEYS.config, redactConfig(c.config));
  return {};
}

export async function activate(_state: InitStateType, config?: LangGraphRunnableConfig): Promise<InitUpdate> {
  const c = await ctx(config);
  await c.store.updateAgentState(c.agentName, "active", "startup complete");
  return {};
}

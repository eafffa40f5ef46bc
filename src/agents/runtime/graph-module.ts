/**
 * Agent graph modules, named by path. The graphs in graphs/ import their nodes and state from
 * src/, never the other way round: src/ reaches a graph only by loading the module a spec (or an
 * agent class) names, so the layering stays graphs → src.
 */
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { BgAgentsError } from "../../errors/index.js";
import type { AgentContext } from "../context.js";

/** What an agent graph module (graphs/*.ts, or a user's own) exports. */
export interface AgentGraphModule {
  buildGraph(checkpointer?: BaseCheckpointSaver): unknown;
  /**
   * Work that runs beside the agent's cycles in the same process, started before the first cycle
   * and stopped after the last (the monitor's notifier). Returns nothing when there is nothing to run.
   */
  sidecar?(ctx: AgentContext): Sidecar | undefined;
}

export interface Sidecar {
  stop(): Promise<void>;
}

/** An agent graph module, or the path of one. */
export type GraphSource = AgentGraphModule | string;

/** The package root, from src/agents/runtime/ (tsx) or dist/src/agents/runtime/ (built). */
export const PACKAGE_ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "..", "..", "..");
const EXT = import.meta.url.endsWith(".ts") ? ".ts" : ".js";

/** A file of this package by its path without extension (`src/x/y`): `.ts` under tsx, `.js` when built. */
export function packageFile(rel: string): string {
  return resolve(PACKAGE_ROOT, rel + EXT);
}

/** The absolute path of this package's graph module `graphs/<name>`. */
export function packageGraph(name: string): string {
  return packageFile(`graphs/${name}`);
}

/** Imports the module at `path` and checks that it exports buildGraph. */
export async function loadGraphModule(path: string): Promise<AgentGraphModule> {
  let mod: Partial<AgentGraphModule>;
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as Partial<AgentGraphModule>;
  } catch (e) {
    throw new BgAgentsError("AGENT_MODULE_INVALID", `could not load the agent graph module ${path}: ${(e as Error)?.message ?? e}`, { cause: e });
  }
  if (typeof mod.buildGraph !== "function") {
    throw new BgAgentsError("AGENT_MODULE_INVALID", `${path} does not export buildGraph(checkpointer?); every agent graph module must.`);
  }
  return mod as AgentGraphModule;
}

export function resolveGraphModule(source: GraphSource): Promise<AgentGraphModule> {
  return typeof source === "string" ? loadGraphModule(source) : Promise.resolve(source);
}

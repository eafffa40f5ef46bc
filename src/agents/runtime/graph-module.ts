/**
 * Agent graph modules, named by path. The graphs in graphs/ import their nodes and state from
 * src/, never the other way round: src/ reaches a graph only by loading the module a spec (or an
 * agent class) names, so the layering stays graphs → src.
 */
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { BaseCheckpointSaver } from "@langchain/langgraph";
import { BgAgentsError } from "../../errors/index.js";
import { PACKAGE_ROOT } from "../../version.js";
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

const EXT = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
/** Where src/ and graphs/ are: the package root under tsx, dist/ when built. */
const CODE_ROOT = EXT === ".ts" ? PACKAGE_ROOT : join(PACKAGE_ROOT, "dist");

/** The system agents' runtime and graphs bundled into a few files (bin/bundle.js, part of `npm run build`). */
const BUNDLE_DIR = join(PACKAGE_ROOT, "dist", "bundle");
/** This code runs from the bundle: the graphs it loads must be the bundle's too, or LangGraph would be loaded twice. */
const IN_BUNDLE = fileURLToPath(import.meta.url).startsWith(BUNDLE_DIR + sep);
const bundledGraph = (name: string) => join(BUNDLE_DIR, "graphs", `${name}.js`);

/** A file of this package by its path without extension (`src/x/y`): `.ts` under tsx, `.js` when built. */
export function packageFile(rel: string): string {
  return resolve(CODE_ROOT, rel + EXT);
}

/** The absolute path of this package's graph module `graphs/<name>` (the bundle's, when this runs from it). */
export function packageGraph(name: string): string {
  return IN_BUNDLE ? bundledGraph(name) : packageFile(`graphs/${name}`);
}

/**
 * The bundled agent runtime and graph modules, when this is the compiled package and they were
 * built: one file each, sharing chunks, they load in about half the CPU of the ~400 modules they
 * are made of (docs/performance.md). A user's own agent module runs under the unbundled runtime.
 */
export function bundledRuntime(): { main: string; graph(name: string): string } | undefined {
  const main = join(BUNDLE_DIR, "agent-main.js");
  return EXT === ".js" && existsSync(main) && bundleMatchesInstall() ? { main, graph: bundledGraph } : undefined;
}

/**
 * Whether the packages the bundle holds copies of are the versions installed now (its manifest,
 * written by bin/bundle.js; the launcher rebundles on a mismatch): a bundle of other versions
 * would run another LangGraph than the rest of the fleet on the same checkpoints. Each key names a
 * package as Node finds it from the package root (`node_modules/a/node_modules/b/package.json`),
 * so it is found wherever npm hoisted it, or by its path ("./…", "../…") where names do not lead to
 * it; as bin/bundle.js's versionAt finds it.
 */
function bundleMatchesInstall(): boolean {
  try {
    const { packages } = JSON.parse(readFileSync(join(BUNDLE_DIR, "manifest.json"), "utf8")) as { packages: Record<string, unknown> };
    return Object.entries(packages).every(([key, v]) => installedVersion(key) === v);
  } catch {
    return false;
  }
}

function installedVersion(key: string): unknown {
  // a key starting with "." is a path, for a package its names do not lead to
  const dir = key.startsWith(".") ? join(PACKAGE_ROOT, dirname(key)) : packageDirOf(key);
  try {
    return dir === undefined ? null : (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: unknown }).version ?? null;
  } catch {
    return null;
  }
}

/** Where the names of a key lead from the package root: each found from the one before it. */
function packageDirOf(key: string): string | undefined {
  let dir: string | undefined = PACKAGE_ROOT;
  for (const name of key.split("node_modules/").slice(1).map((n) => n.replace(/\/(package\.json)?$/, ""))) {
    dir = findPackage(dir, name);
    if (dir === undefined) return undefined;
  }
  return dir;
}

/** The directory of package `name` as Node finds it from `dir`: in node_modules of `dir` or of the nearest ancestor that has it. */
function findPackage(dir: string, name: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (basename(d) !== "node_modules" && existsSync(join(d, "node_modules", name, "package.json"))) return join(d, "node_modules", name);
    if (dirname(d) === d) return undefined;
  }
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

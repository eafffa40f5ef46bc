/**
 * Which agents the supervisor runs: the three system agents (each a graph module run by the agent
 * runtime), demo workers with `--demo`, and any extra `NAME=PATH` given on the command line.
 */
import { isAbsolute, resolve } from "node:path";
import { bundledRuntime, packageFile, packageGraph } from "../agents/runtime/graph-module.js";
import { ValidationError } from "../errors/index.js";
import { assertAgentName, SYSTEM_AGENTS } from "../storage/index.js";
import { hostAgentName, type HostWhere } from "../supervision/index.js";

export interface AgentSpec {
  name: string;
  /** "graph": a module exporting buildGraph, run by src/agents/runtime/agent-main; "script": a Node program (e.g. using AgentClient). */
  kind: "graph" | "script";
  /** Absolute path of the module. */
  module: string;
  /** A graph's agent runtime (the process entry that runs it). @defaultValue AGENT_MAIN */
  runtime?: string;
  env?: Record<string, string>;
  /** V8 flags of its process, after the ones every agent gets (AGENT_NODE_FLAGS in child.ts). */
  nodeFlags?: readonly string[];
}

/**
 * V8 flags of the three system agents: they run a few short steps per HEARTBEAT_INTERVAL, so
 * without TurboFan (its compile jobs and optimized code; the interpreter and Sparkplug remain)
 * and with size-first heuristics they start no slower, idle no busier and take about 11 MB less
 * RSS each (docs/performance.md). A user's own agents keep V8's defaults: their work may be hot code.
 */
export const SYSTEM_AGENT_NODE_FLAGS: readonly string[] = ["--optimize-for-size", "--no-opt"];

export const AGENT_MAIN = packageFile("src/agents/runtime/agent-main");
export const DEMO_WORKER = packageFile("src/supervisor/demo-worker");
/** Preloaded into every agent process: exits it when the supervisor's IPC channel closes. */
export const LIFELINE = packageFile("src/supervisor/lifeline");

export const MONITOR_NAME = SYSTEM_AGENTS.monitor;
export const INITIALIZER_NAME = SYSTEM_AGENTS.initializer;

/** The names of the supervisor's own agents on this host (`<name>@<host>` on PostgreSQL, see src/supervision/host.ts). */
export function hostSystemNames(where?: HostWhere): { initializer: string; monitor: string } {
  const name = (base: string) => (where ? hostAgentName(base, where) : base);
  return { initializer: name(INITIALIZER_NAME), monitor: name(MONITOR_NAME) };
}

/**
 * The system agents, one line each: a new agent is its state, nodes, graph module and a line here.
 * Named for this host when `where` says the database is shared by hosts.
 */
export function systemAgents(where?: HostWhere): AgentSpec[] {
  const name = (base: string) => (where ? hostAgentName(base, where) : base);
  const bundle = bundledRuntime();
  const graph = (module: string) => ({ kind: "graph" as const, module: bundle?.graph(module) ?? packageGraph(module), runtime: bundle?.main, nodeFlags: SYSTEM_AGENT_NODE_FLAGS });
  return [
    { name: name(MONITOR_NAME), ...graph("heartbeat-health") },
    { name: name(SYSTEM_AGENTS.performance), ...graph("performance-monitor") },
    { name: name(SYSTEM_AGENTS.bridge), ...graph("langsmith-bridge") },
  ];
}

/**
 * Three demo workers (src/supervisor/demo-worker.ts): one steady; one that now and then hangs
 * (alive, no heartbeat: marked stale by the monitor, then killed and restarted); one that now and
 * then crashes (exit 1, restarted). The first hang and crash come 2-4 STALE_THRESHOLDs after
 * start-up, later ones far enough apart to stay within the restart budget (see planFailure).
 */
export function demoAgents(where?: HostWhere): AgentSpec[] {
  const name = (base: string) => (where ? hostAgentName(base, where) : base);
  return [
    { name: name("DemoWorker-steady"), kind: "script", module: DEMO_WORKER, env: { DEMO_FAILURE: "none" } },
    { name: name("DemoWorker-hangs"), kind: "script", module: DEMO_WORKER, env: { DEMO_FAILURE: "hang" } },
    { name: name("DemoWorker-crashes"), kind: "script", module: DEMO_WORKER, env: { DEMO_FAILURE: "crash" } },
  ];
}

/** Parses `NAME=PATH` (a CLI flag value) into a spec of `kind`. */
export function parseAgentFlag(value: string, kind: AgentSpec["kind"]): AgentSpec {
  const eq = value.indexOf("=");
  if (eq <= 0 || eq === value.length - 1) throw new ValidationError(`Expected NAME=PATH (e.g. MyAgent=./graphs/my-agent.ts); got "${value}"`);
  const name = value.slice(0, eq);
  assertAgentName(name);
  const path = value.slice(eq + 1);
  return { name, kind, module: isAbsolute(path) ? path : resolve(process.cwd(), path) };
}

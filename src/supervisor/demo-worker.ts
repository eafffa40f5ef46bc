/**
 * A demo worker for `bg-agents start --demo`: a plain Node process (no LangGraph) that reports
 * through AgentClient, does pretend work, and heartbeats from its work loop. DEMO_FAILURE picks
 * how it fails now and then, so both kinds of detection and healing can be watched:
 *
 * - `hang`: the work loop gets stuck (an await that never settles). The process stays alive but
 *   stops heartbeating, so the HeartbeatHealthAgent marks it stale after STALE_THRESHOLD and the
 *   supervisor kills it and starts a new one. A hung worker does not clean up when told to stop.
 * - `crash`: the process exits with code 1; the supervisor sees the exit and restarts it.
 *
 * When (see planFailure): the first failure comes 2-4 STALE_THRESHOLDs after start-up (at
 * HEARTBEAT_INTERVAL=2 STALE_THRESHOLD=8: hang and crash within about a minute); after a restart
 * the next one waits until at least RESTART_WINDOW / (RESTART_BUDGET - 1) after the last restart
 * (randomised up to 1.5×), read from the worker's own `recovering` transitions. That keeps it one
 * restart below the budget in any window (defaults: a failure every 150-225 s, at most 4 restarts
 * in 600 s of the 5 allowed), so the demo runs indefinitely and never ends `failed`.
 *
 * Like every agent process it exits when the supervisor dies: spawnAgent preloads the lifeline.
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { AgentClient } from "../client/index.js";
import { loadConfig, type Config } from "../config/index.js";
import { runMain } from "../process/index.js";
import { openStore, type StateStore } from "../storage/index.js";

export type DemoFailure = "hang" | "crash";

export interface FailurePlanInput {
  /** When the worker became active (ms since the epoch). */
  now: number;
  staleThresholdMs: number;
  /** RESTART_BUDGET. @defaultValue 5 */
  restartBudget?: number;
  /** RESTART_WINDOW in ms. @defaultValue 600 s */
  restartWindowMs?: number;
  /** When the supervisor restarted this worker (its `recovering` transitions) within the last window; undefined if unknown. */
  recentRestarts: number[] | undefined;
  /** @defaultValue Math.random */
  random?: () => number;
}

/** First failure: 2-4 stale thresholds after start-up (enough to be seen active, soon enough to watch). */
export const FIRST_FAILURE_THRESHOLDS = [2, 4] as const;
/** Later failures: this many times the minimum spacing (RESTART_WINDOW / (RESTART_BUDGET - 1)). */
export const SPACING_JITTER = [1, 1.5] as const;

/** The least time between two restarts of a demo worker that keeps it a restart below the budget. */
export function minFailureSpacingMs(restartBudget = 5, restartWindowMs = 600_000): number {
  return restartWindowMs / Math.max(1, restartBudget - 1);
}

/** When (ms since the epoch) this worker should fail. Pure; see the file comment. */
export function planFailure(i: FailurePlanInput): number {
  const random = i.random ?? Math.random;
  const [lo, hi] = FIRST_FAILURE_THRESHOLDS;
  const soonest = i.now + (lo + random() * (hi - lo)) * i.staleThresholdMs;
  const spacing = minFailureSpacingMs(i.restartBudget, i.restartWindowMs) * (SPACING_JITTER[0] + random() * (SPACING_JITTER[1] - SPACING_JITTER[0]));
  // history unknown (the database did not answer): assume a restart just happened, never risk the budget
  const last = i.recentRestarts === undefined ? i.now : i.recentRestarts.at(-1);
  return last === undefined ? soonest : Math.max(soonest, last + spacing);
}

export function parseDemoFailure(v: string | undefined): DemoFailure | undefined {
  if (v === undefined || v === "" || v === "none") return undefined;
  if (v === "hang" || v === "crash") return v;
  throw new Error(`DEMO_FAILURE=${JSON.stringify(v)} is invalid: expected hang, crash or none`);
}

/** The supervisor's restart decisions for `name` within the window (its reasons say "restart N in X ms"). */
async function recentRestarts(store: StateStore, name: string, config: Config, now: number): Promise<number[] | undefined> {
  try {
    const since = now - config.restartWindowMs;
    return (await store.getTransitions({ agent: name, to: "recovering", since }))
      .filter((t) => /restart \d+ in \d+ ms/.test(t.reason ?? ""))
      .map((t) => t.at);
  } catch {
    return undefined;
  }
}

const say = (line: string) => process.stderr.write(`${line}\n`);

async function main(): Promise<void> {
  const config = loadConfig();
  const name = config.agentName;
  const failure = parseDemoFailure(process.env.DEMO_FAILURE);
  let running = true;
  let client: AgentClient | undefined;
  let store: StateStore | undefined;
  const stop = async () => {
    running = false;
    try {
      if (client) await client.stop("demo worker stopped");
      else await store?.updateAgentState(name, "stopped", "demo worker stopped during start-up").catch(() => undefined);
    } finally {
      process.exit(0);
    }
  };
  const onTerm = () => void stop();
  process.once("SIGTERM", onTerm);
  process.once("SIGINT", onTerm);

  store = await openStore(config);
  client = new AgentClient({ name, store, intervalMs: config.heartbeatIntervalMs, meta: { demo: true, failure: failure ?? "none" } });
  await client.register();

  const startedAt = Date.now();
  const failAt = failure ? planFailure({
    now: startedAt, staleThresholdMs: config.staleThresholdMs, restartBudget: config.restartBudget,
    restartWindowMs: config.restartWindowMs, recentRestarts: await recentRestarts(store, name, config, startedAt),
  }) : undefined;
  if (failAt !== undefined) {
    say(`${name} (pid ${process.pid}): demo ${failure} planned in ${((failAt - startedAt) / 1000).toFixed(1)}s, at ${new Date(failAt).toISOString()}`);
  }
  if (failure === "crash" && failAt !== undefined) {
    setTimeout(() => {
      say(`${name} (pid ${process.pid}): demo crash after ${((Date.now() - startedAt) / 1000).toFixed(1)}s (exit code 1)`);
      process.exit(1);
    }, failAt - startedAt);
  }

  while (running) {
    if (failure === "hang" && failAt !== undefined && Date.now() >= failAt) {
      // a hung process gets no chance to clean up: SIGTERM/SIGINT terminate it (the default action)
      process.off("SIGTERM", onTerm);
      process.off("SIGINT", onTerm);
      say(`${name} (pid ${process.pid}): demo hang after ${((Date.now() - startedAt) / 1000).toFixed(1)}s: ` +
        `work loop stuck, no more heartbeats, process still alive`);
      // stuck on something that never answers; the timer keeps the process alive
      await new Promise<never>(() => setInterval(() => undefined, 3_600_000));
    }
    try {
      await client.beat();
    } catch (e) {
      say(`${name}: heartbeat failed (will retry): ${(e as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, config.heartbeatIntervalMs));
  }
}

/** Run as a program (by the supervisor), not when imported (by tests, for planFailure). */
function isMain(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) await runMain(main, { label: "bg-agents demo-worker" });

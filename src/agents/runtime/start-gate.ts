/**
 * The start gate, agent side. The supervisor spawns its agents before its SystemInitializer runs,
 * so that they load their code (LangGraph: most of an agent's start-up) while it checks and
 * registers the fleet; a held agent (`BG_AGENT_HELD=1`) says so on its IPC channel once loaded and
 * writes nothing (not even opening the database) until the supervisor releases it. Otherwise the
 * initializer could re-register an agent that has already made itself `active`.
 * The supervisor does not load LangGraph itself: it asks the first held agent to have loaded to
 * run the initializer's graph (INITIALIZE_MESSAGE), and releases every agent once it answered.
 */
import { isBgAgentsError } from "../../errors/index.js";
import type { HeartbeatInfo } from "../../storage/index.js";

export const HELD_ENV = "BG_AGENT_HELD";
/** Agent → supervisor: loaded, waiting to be released. */
export const HELD_MESSAGE = { bgAgents: "held" } as const;
/** Supervisor → agent: the initializer is done, go on. */
export const RELEASE_MESSAGE = { bgAgents: "release" } as const;
/** Held agent → supervisor, once released: it is registered and active (the supervisor starts its dashboard after). */
export const ACTIVE_MESSAGE = { bgAgents: "active" } as const;

/** Supervisor → held agent: run the SystemInitializer's graph (once per start, only while held). */
export interface InitializeRequest {
  bgAgents: "initialize";
  /** The initializer's agent name (`SystemInitializer@<host>` on PostgreSQL). */
  name: string;
  agents: string[];
  sessionId: string;
  /** The supervisor's process, which the SystemInitializer's record names. */
  self: HeartbeatInfo;
}

/** Held agent → supervisor: the initializer ran; `error` when it failed (the start-up then stops). */
export interface InitializedMessage {
  bgAgents: "initialized";
  /** `code`: a typed error's (BgAgentsError), e.g. DB_CORRUPT. */
  error?: { message: string; code?: string };
}

type Kind = typeof HELD_MESSAGE | typeof RELEASE_MESSAGE | typeof ACTIVE_MESSAGE | { bgAgents: InitializeRequest["bgAgents"] | InitializedMessage["bgAgents"] };

export function isGateMessage(m: unknown, kind: Kind): boolean {
  return typeof m === "object" && m !== null && (m as { bgAgents?: unknown }).bgAgents === kind.bgAgents;
}

export interface UntilReleasedOptions {
  /** Runs the initializer when the supervisor asks; a rejection is answered as the failure it is. */
  initialize?: (request: InitializeRequest) => Promise<void>;
  /** @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
}

/**
 * Resolves at once unless this process was started held; then once released, or `signal` aborts
 * (after an initializer run in progress has ended: its writes are not cut off half-way).
 */
export function untilReleased(signal: AbortSignal, o: UntilReleasedOptions = {}): Promise<void> {
  const env = o.env ?? process.env;
  if (env[HELD_ENV] !== "1" || typeof process.send !== "function" || !process.connected || signal.aborted) return Promise.resolve();
  let initializing: Promise<void> = Promise.resolve();
  return new Promise((done) => {
    const finish = () => {
      process.off("message", onMessage);
      signal.removeEventListener("abort", finish);
      void initializing.then(() => {
        process.channel?.unref(); // a lifeline again (see src/supervisor/lifeline.ts)
        done();
      });
    };
    const onMessage = (m: unknown) => {
      if (isGateMessage(m, RELEASE_MESSAGE)) finish();
      else if (isGateMessage(m, { bgAgents: "initialize" })) initializing = answer(m as InitializeRequest, o.initialize);
    };
    process.on("message", onMessage);
    signal.addEventListener("abort", finish, { once: true });
    process.channel?.ref(); // nothing else keeps the process alive while it waits
    process.send!(HELD_MESSAGE);
  });
}

/** Tells the supervisor this agent is active, when it was started held; a no-op otherwise. */
export function announceActive(env: NodeJS.ProcessEnv = process.env): void {
  if (env[HELD_ENV] === "1" && typeof process.send === "function" && process.connected) process.send(ACTIVE_MESSAGE);
}

async function answer(request: InitializeRequest, initialize: UntilReleasedOptions["initialize"]): Promise<void> {
  let reply: InitializedMessage = { bgAgents: "initialized" };
  try {
    if (!initialize) throw new Error("this agent process cannot run the SystemInitializer");
    await initialize(request);
  } catch (e) {
    reply = { bgAgents: "initialized", error: { message: (e as Error)?.message ?? String(e), ...(isBgAgentsError(e) ? { code: e.code } : {}) } };
  }
  if (process.connected) process.send!(reply);
}

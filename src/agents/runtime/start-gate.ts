/**
 * The start gate, agent side. The supervisor spawns its agents before its SystemInitializer runs,
 * so that they load their code (LangGraph: most of an agent's start-up) while it checks and
 * registers the fleet; a held agent (`BG_AGENT_HELD=1`) says so on its IPC channel once loaded and
 * writes nothing (not even opening the database) until the supervisor releases it. Otherwise the
 * initializer could re-register an agent that has already made itself `active`.
 */
export const HELD_ENV = "BG_AGENT_HELD";
/** Agent → supervisor: loaded, waiting to be released. */
export const HELD_MESSAGE = { bgAgents: "held" } as const;
/** Supervisor → agent: the initializer is done, go on. */
export const RELEASE_MESSAGE = { bgAgents: "release" } as const;

export function isGateMessage(m: unknown, kind: typeof HELD_MESSAGE | typeof RELEASE_MESSAGE): boolean {
  return typeof m === "object" && m !== null && (m as { bgAgents?: unknown }).bgAgents === kind.bgAgents;
}

/** Resolves at once unless this process was started held; then once released, or `signal` aborts. */
export function untilReleased(signal: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env[HELD_ENV] !== "1" || typeof process.send !== "function" || !process.connected || signal.aborted) return Promise.resolve();
  return new Promise((done) => {
    const finish = () => {
      process.off("message", onMessage);
      signal.removeEventListener("abort", finish);
      process.channel?.unref(); // a lifeline again (see src/supervisor/lifeline.ts)
      done();
    };
    const onMessage = (m: unknown) => {
      if (isGateMessage(m, RELEASE_MESSAGE)) finish();
    };
    process.on("message", onMessage);
    signal.addEventListener("abort", finish, { once: true });
    process.channel?.ref(); // nothing else keeps the process alive while it waits
    process.send!(HELD_MESSAGE);
  });
}

/**
 * Flushes pending LangSmith traces on shutdown, with a time limit. Without one, a down endpoint
 * holds shutdown for about two minutes while the client retries (FACTS.md); the traces that did
 * not make it in time are dropped, the agent's own shutdown is not.
 */
import { tracingSettings } from "./settings.js";

/** How long shutdown waits for pending traces. @defaultValue 3000 ms */
export const TRACE_FLUSH_TIMEOUT_MS = 3_000;

export interface FlushResult {
  /** All pending traces were handed over (false: the time limit hit first). */
  flushed: boolean;
  ms: number;
}

/** Waits for pending traces to be sent, at most `timeoutMs`. Never throws. */
export async function flushTraces(timeoutMs = TRACE_FLUSH_TIMEOUT_MS, env: NodeJS.ProcessEnv = process.env): Promise<FlushResult> {
  const started = performance.now();
  // Nothing was traced: don't create LangChain's default client just to wait on it.
  if (!tracingSettings(env).tracing) return { flushed: true, ms: 0 };
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
  });
  try {
    // imported here: @langchain/core's callbacks (and langsmith) are not loaded by a process that never traces
    const { awaitAllCallbacks } = await import("@langchain/core/callbacks/promises");
    const flushed = await Promise.race([awaitAllCallbacks().then(() => true, () => true), limit]);
    return { flushed, ms: Math.round(performance.now() - started) };
  } finally {
    clearTimeout(timer);
  }
}

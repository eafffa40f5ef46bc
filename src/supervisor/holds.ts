/** Silences given with --hold-restarts: the supervisor leaves a matching stale agent alone until they end. */
import picomatch from "picomatch";
import type { Silence } from "../storage/index.js";

/** The silence that holds restarts of `agent`, if any. */
export function restartHold(agent: string, silences: readonly Silence[]): Silence | undefined {
  return silences.find((s) => s.holdRestarts && (s.pattern === agent || picomatch.isMatch(agent, s.pattern)));
}

/** The stop signals of a long-running process (Ctrl-C, `kill`, a service manager). */

/**
 * Calls `onSignal` on every SIGINT/SIGTERM. The handler stays installed, so a second Ctrl-C while
 * the first one's stop is under way does not kill the process halfway.
 */
export function onStopSignals(onSignal: (signal: NodeJS.Signals) => void): void {
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

/** Resolves with the first SIGINT/SIGTERM. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => onStopSignals(resolve));
}

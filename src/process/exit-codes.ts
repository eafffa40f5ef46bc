/**
 * The exit codes of every process this package starts (`bg-agents` commands, `npm start`, agent
 * processes): 0 ok; 1 problems found, or what the process ran failed (an agent past
 * RETRY_ATTEMPTS, a supervisor that had to stop its fleet); 2 bad config, usage or an unusable
 * database (a BgAgentsError: the message says what to do); 3 internal error (a bug: the stack is printed).
 */
import { isBgAgentsError } from "../errors/index.js";

export const EXIT = { OK: 0, PROBLEMS: 1, USAGE: 2, INTERNAL: 3 } as const;

/** The exit code for an error that ended a process: 2 for our typed errors, 3 for anything else. */
export function exitCodeFor(e: unknown): number {
  return isBgAgentsError(e) ? EXIT.USAGE : EXIT.INTERNAL;
}

/** One line for stderr: a typed error's message (it says what to do), else the stack of the bug. */
export function describeFailure(e: unknown, label: string): string {
  if (isBgAgentsError(e)) return `${label}: ${e.message}`;
  return `${label}: internal error: ${(e as Error)?.stack ?? String(e)}`;
}

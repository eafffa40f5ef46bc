/**
 * The storm guard's verdicts (guard.ts) over time: a suspicion is logged when it starts and when it
 * ends, and stale evidence is ignored until a quiet period after the last suspicious tick has passed,
 * so the backlog of a stall clears before anything is restarted for being stale.
 */
import type { Logger } from "../logging/index.js";

export class StormQuiet {
  private suspicion: string | undefined;
  private quietUntil = 0;

  constructor(private readonly log: Logger, private readonly quietMs: number) {}

  /** Records this tick's verdict; true while stale agents must not be restarted. */
  holdsRestarts(suspect: string | undefined, now: number): boolean {
    if (suspect) {
      if (!this.suspicion) this.log.warn(suspect);
      this.suspicion = suspect;
      this.quietUntil = now + this.quietMs;
    } else if (this.suspicion) {
      this.log.info("monitor and database healthy again; stale agents will be restarted after a quiet period");
      this.suspicion = undefined;
    }
    return suspect !== undefined || now < this.quietUntil;
  }

  /** A wall-clock jump moves the end of the quiet period with it. */
  shift(ms: number): void {
    this.quietUntil += ms;
  }
}

/**
 * Notices the supervisor's wall clock jumping (NTP step, a person setting the date): between two
 * ticks the wall clock moved `jump` ms more (or less) than the monotonic clock. Heartbeat stamps
 * taken before a forward jump look old at once, and deadlines computed before a backward jump lie
 * far ahead: the caller shifts its deadlines and excuses the monitor for a threshold.
 */
export class WallClockWatch {
  private last: { wall: number; mono: number } | undefined;

  constructor(private readonly monotonicNow: () => number, private readonly toleranceMs: number) {}

  /** The jump since the previous call (ms, > 0 forward, < 0 back), or 0 within the tolerance. */
  check(wallNow: number): number {
    const mono = this.monotonicNow();
    const prev = this.last;
    this.last = { wall: wallNow, mono };
    if (!prev) return 0;
    const jump = wallNow - prev.wall - (mono - prev.mono);
    return Math.abs(jump) > this.toleranceMs ? jump : 0;
  }
}

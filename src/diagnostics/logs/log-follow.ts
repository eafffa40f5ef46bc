/**
 * Follows the daily log files like `tail -f`, including the switch to the next day's file (any
 * new matching file is read from its start) and a truncated file (read again from its start).
 * Polls: fs.watch misses events on some file systems and does not see files that do not exist yet.
 */
import { statSync } from "node:fs";
import { byTime, listLogFiles, matchesFilter, parseLogLine, readCompleteLines, type LogEntry, type LogFilter } from "./log-files.js";

export interface FollowOptions extends LogFilter {
  agent?: string;
  /** Where each already-read file continues (from readRecentLogs); other files start at 0. */
  offsets?: Map<string, number>;
  /** @defaultValue 250 */
  intervalMs?: number;
  signal: AbortSignal;
}

export class LogFollower {
  private readonly offsets: Map<string, number>;

  constructor(private readonly dir: string, private readonly o: Omit<FollowOptions, "signal">) {
    this.offsets = new Map(o.offsets ?? []);
  }

  /** New complete lines since the last poll, in time order. */
  poll(): LogEntry[] {
    const out: LogEntry[] = [];
    for (const f of listLogFiles(this.dir, this.o.agent)) {
      let size: number;
      try {
        size = statSync(f.path).size;
      } catch {
        continue; // removed by retention between list and stat
      }
      let offset = this.offsets.get(f.path) ?? 0;
      if (size < offset) offset = 0; // truncated or replaced
      const { lines, consumed } = readCompleteLines(f.path, offset, size);
      this.offsets.set(f.path, offset + consumed);
      for (const line of lines) {
        const e = parseLogLine(line, f.stem);
        if (e && matchesFilter(e, this.o)) out.push(e);
      }
    }
    return out.sort(byTime);
  }
}

/** Calls `onEntries` with new lines until `signal` aborts. */
export async function followLogs(dir: string, o: FollowOptions, onEntries: (e: LogEntry[]) => void): Promise<void> {
  const follower = new LogFollower(dir, o);
  while (!o.signal.aborted) {
    const entries = follower.poll();
    if (entries.length) onEntries(entries);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, o.intervalMs ?? 250);
      function done() {
        clearTimeout(timer);
        o.signal.removeEventListener("abort", done);
        resolve();
      }
      o.signal.addEventListener("abort", done, { once: true });
    });
  }
}

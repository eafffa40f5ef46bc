/**
 * Reads the daily JSON-lines log files written by src/logging (`<dir>/agent_<name>-YYYY-MM-DD.log`):
 * lists them, parses lines (a line that is not JSON is kept as raw text), filters by level and
 * time, and returns the newest N entries of one agent or of all agents merged by time.
 * Used by `bg-agents logs`; the dashboard's "recent log lines" can reuse readRecentLogs().
 */
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { logFileStem } from "../../logging/index.js";

export interface LogFile {
  path: string;
  /** File-name part after "agent_" (the sanitised agent name). */
  stem: string;
  /** YYYY-MM-DD */
  date: string;
}

export interface LogEntry {
  /** ISO timestamp as logged ("" when the line had none). */
  time: string;
  /** Epoch ms of `time` (0 when unknown: such lines sort first). */
  ms: number;
  level: string;
  agent: string;
  module: string | null;
  message: string;
  /** Every other field of the line. */
  extra: Record<string, unknown>;
  /** The line itself when it was not JSON. */
  raw?: string;
}

export interface LogFilter {
  /** Show this level and the more severe ones (error < warn < info < debug). */
  level?: string;
  /** Only entries at or after this epoch ms. */
  sinceMs?: number;
}

/** winston's npm levels, most severe first. */
export const LEVEL_RANK: Record<string, number> = { error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 };

const FILE_RE = /^agent_(.+)-(\d{4}-\d{2}-\d{2})\.log$/;

/** Log files in `dir` (of one agent when given), oldest date first. */
export function listLogFiles(dir: string, agent?: string): LogFile[] {
  if (!existsSync(dir)) return [];
  const want = agent === undefined ? undefined : logFileStem(agent).slice("agent_".length);
  const files: LogFile[] = [];
  for (const name of readdirSync(dir)) {
    const m = FILE_RE.exec(name);
    if (!m || (want !== undefined && m[1] !== want)) continue;
    files.push({ path: join(dir, name), stem: m[1]!, date: m[2]! });
  }
  return files.sort((a, b) => a.date.localeCompare(b.date) || a.stem.localeCompare(b.stem));
}

export function parseLogLine(line: string, fallbackAgent: string): LogEntry | undefined {
  if (line.trim() === "") return undefined;
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (o === null || typeof o !== "object" || Array.isArray(o)) throw new Error("not an object");
    const { timestamp, level, message, agent, module, ...extra } = o;
    const time = typeof timestamp === "string" ? timestamp : "";
    const ms = Date.parse(time);
    return {
      time,
      ms: Number.isNaN(ms) ? 0 : ms,
      level: typeof level === "string" ? level : "?",
      agent: typeof agent === "string" ? agent : fallbackAgent,
      module: typeof module === "string" ? module : null,
      message: typeof message === "string" ? message : JSON.stringify(message),
      extra,
    };
  } catch {
    return { time: "", ms: 0, level: "?", agent: fallbackAgent, module: null, message: line, extra: {}, raw: line };
  }
}

export function matchesFilter(e: LogEntry, f: LogFilter): boolean {
  if (f.level !== undefined) {
    const rank = LEVEL_RANK[e.level];
    if (rank === undefined || rank > (LEVEL_RANK[f.level] ?? Infinity)) return false;
  }
  return f.sinceMs === undefined || e.ms >= f.sinceMs;
}

/** Complete lines of the first `size` bytes from `offset`, and the bytes they used (a torn last line is left). */
export function readCompleteLines(path: string, offset: number, size: number): { lines: string[]; consumed: number } {
  if (size <= offset) return { lines: [], consumed: 0 };
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(path, "r");
  let n = 0;
  try {
    n = readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  const end = buf.subarray(0, n).lastIndexOf(0x0a);
  if (end < 0) return { lines: [], consumed: 0 };
  return { lines: buf.subarray(0, end).toString("utf8").split("\n"), consumed: end + 1 };
}

/** Sorts by time, keeping file order for equal times (Array.prototype.sort is stable). */
export function byTime(a: LogEntry, b: LogEntry): number {
  return a.ms - b.ms;
}

export interface RecentLogsOptions extends LogFilter {
  agent?: string;
  /** @defaultValue 50 */
  lines?: number;
}

export interface RecentLogs {
  entries: LogEntry[];
  /** Bytes of each file read (complete lines only): where a follower should continue. */
  offsets: Map<string, number>;
  files: LogFile[];
}

/**
 * The newest `lines` entries matching the filter, oldest first. Reads whole daily files, newest
 * date first, and stops at the first date that completes the count.
 */
export function readRecentLogs(dir: string, o: RecentLogsOptions = {}): RecentLogs {
  const want = Math.max(0, Math.floor(o.lines ?? 50));
  const files = listLogFiles(dir, o.agent);
  const offsets = new Map<string, number>();
  for (const f of files) offsets.set(f.path, completeSize(f.path));
  const dates = [...new Set(files.map((f) => f.date))].reverse();
  let collected: LogEntry[] = [];
  for (const date of dates) {
    if (collected.length >= want) break;
    const day: LogEntry[] = [];
    for (const f of files.filter((x) => x.date === date)) {
      const { lines } = readCompleteLines(f.path, 0, offsets.get(f.path)!);
      for (const line of lines) {
        const e = parseLogLine(line, f.stem);
        if (e && matchesFilter(e, o)) day.push(e);
      }
    }
    collected = [...day.sort(byTime), ...collected];
  }
  return { entries: want === 0 ? [] : collected.slice(-want), offsets, files };
}

/** Size up to and including the last newline (a line being written right now is left for later). */
function completeSize(path: string): number {
  return readCompleteLines(path, 0, statSync(path).size).consumed;
}

/**
 * Reads the last lines of an agent's newest daily log file `<LOG_DIR>/agent_<name>-YYYY-MM-DD.log`
 * (JSON lines written by src/logging) without loading the whole file.
 */
import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { logFileStem } from "../logging/index.js";

export interface LogLine {
  timestamp: string | null;
  level: string | null;
  module: string | null;
  message: string;
}

const TAIL_BYTES = 128 * 1024;

/** Newest `agent_<stem>-YYYY-MM-DD.log` in `dir`, or undefined. */
export async function newestLogFile(dir: string, agentName: string): Promise<string | undefined> {
  const prefix = `${logFileStem(agentName)}-`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  const mine = names.filter((n) => n.startsWith(prefix) && /^\d{4}-\d{2}-\d{2}\.log$/.test(n.slice(prefix.length))).sort();
  const last = mine.at(-1);
  return last === undefined ? undefined : join(dir, last);
}

function toLine(raw: string): LogLine {
  try {
    const o = JSON.parse(raw) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v : null);
    return { timestamp: str(o.timestamp), level: str(o.level), module: str(o.module), message: typeof o.message === "string" ? o.message : raw };
  } catch {
    return { timestamp: null, level: null, module: null, message: raw };
  }
}

export async function tailAgentLog(dir: string, agentName: string, lines: number): Promise<{ file: string | null; lines: LogLine[] }> {
  const file = await newestLogFile(dir, agentName);
  if (!file) return { file: null, lines: [] };
  const fh = await open(file, "r");
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    let text = buf.toString("utf8");
    if (start > 0) text = text.slice(text.indexOf("\n") + 1); // drop the partial first line
    const raw = text.split("\n").filter((l) => l.trim() !== "");
    return { file, lines: raw.slice(-lines).map(toLine) };
  } finally {
    await fh.close();
  }
}

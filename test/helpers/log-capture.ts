/** A winston logger that keeps every entry in memory, so a test can assert on what was logged. */
import { Writable } from "node:stream";
import winston from "winston";
import type { Logger } from "../../src/logging/index.js";

export interface LogEntry {
  level: string;
  message: string;
  [key: string]: unknown;
}

export function captureLogger(agentName = "test", level = "debug"): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  // an object-mode stream gets winston's info objects as they are
  const stream = new Writable({
    objectMode: true,
    write(info: LogEntry, _enc, done) {
      entries.push({ ...info });
      done();
    },
  });
  const logger = winston.createLogger({ level, defaultMeta: { agent: agentName }, transports: [new winston.transports.Stream({ stream })] });
  return { logger, entries };
}

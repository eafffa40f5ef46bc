/**
 * Winston root logger per process: console (human lines) + daily-rotated JSON-lines files
 * `<dir>/agent_<name>-YYYY-MM-DD.log`. Every line carries `agent` and `module`; get a module's
 * logger with `logger.child({ module: "storage" })`.
 */
import winston from "winston";
import DailyRotateFile from "winston-daily-rotate-file";
import type { LogLevel } from "../config/index.js";

export type Logger = winston.Logger;

export interface LoggerOptions {
  agentName: string;
  level: LogLevel;
  /** Directory for daily files; omit to log to the console only. */
  dir?: string;
  retentionDays?: number;
  /** Write human-readable lines to stderr. @defaultValue true */
  console?: boolean;
}

/** Turns an agent name into a safe file-name part. */
export function logFileStem(agentName: string): string {
  return `agent_${agentName.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

const consoleLine = winston.format.printf((info) => {
  const { timestamp, level, message, agent, module, ...rest } = info as Record<string, unknown>;
  const extra = Object.keys(rest).length ? " " + JSON.stringify(rest) : "";
  return `${timestamp} ${String(level).toUpperCase().padEnd(5)} [${agent}/${module ?? "main"}] ${message}${extra}`;
});

export function createLogger(opts: LoggerOptions): Logger {
  const transports: winston.transport[] = [];
  if (opts.console !== false) {
    transports.push(new winston.transports.Console({
      stderrLevels: ["error", "warn", "info", "debug"],
      format: winston.format.combine(winston.format.timestamp(), consoleLine),
    }));
  }
  if (opts.dir) {
    transports.push(new DailyRotateFile({
      dirname: opts.dir,
      filename: `${logFileStem(opts.agentName)}-%DATE%.log`,
      datePattern: "YYYY-MM-DD",
      maxFiles: `${opts.retentionDays ?? 14}d`,
      format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    }));
  }
  if (transports.length === 0) transports.push(new winston.transports.Console({ silent: true }));
  return winston.createLogger({
    level: opts.level,
    defaultMeta: { agent: opts.agentName },
    transports,
    exitOnError: false,
  });
}

/** Flushes file transports; resolves when everything buffered is on disk (or after `timeoutMs`). */
export function closeLogger(logger: Logger, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    logger.on("finish", () => {
      clearTimeout(timer);
      // file streams finish a tick after the logger itself
      setImmediate(resolve);
    });
    logger.end();
  });
}

/**
 * Typed errors. Every error carries a stable `code` and a message that says what to do next.
 * Use the `isX(e)` guards rather than `instanceof`: they go by a global brand and the error's
 * `name`, so they hold across two copies of this module (a linked package, dist/ next to src/).
 */
const BRAND = Symbol.for("background-agents.error");

export class BgAgentsError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = "BgAgentsError";
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** A configuration value is missing, malformed, or inconsistent with another value. */
export class ConfigError extends BgAgentsError {
  constructor(readonly variable: string, message: string) {
    super("CONFIG_INVALID", message);
    this.name = "ConfigError";
  }
}

/** The inter-process state lock could not be taken within LOCK_TIMEOUT. */
export class LockTimeoutError extends BgAgentsError {
  /** `holderPids`: the processes holding it, when known (a supervisor kills a hung child of its own). */
  constructor(readonly lockPath: string, readonly waitedMs: number, readonly holder: string, readonly holderPids: readonly number[] = []) {
    super(
      "LOCK_TIMEOUT",
      `Could not take the state lock ${lockPath} within ${waitedMs} ms; it is held by ${holder}. ` +
        `Check that process (bg-agents db-check lists lock holders), or raise LOCK_TIMEOUT.`,
    );
    this.name = "LockTimeoutError";
  }
}

export type DatabaseErrorCode =
  | "DB_NOT_SQLITE" | "DB_CORRUPT" | "DB_REPLACED" | "DB_SCHEMA_NEWER" | "DB_BUSY" | "DB_OPEN_FAILED"
  // PostgreSQL (DATABASE_URL): no server there, wrong user/password, no such database, no right to create the schema, server lost while running
  | "DB_UNREACHABLE" | "DB_AUTH_FAILED" | "DB_MISSING" | "DB_PERMISSION" | "DB_UNAVAILABLE" | "DB_FOREIGN_SCHEMA";

/**
 * The state database cannot be used: the file at DATABASE_PATH is not SQLite, is corrupt or has a
 * newer schema, or the PostgreSQL server at DATABASE_URL cannot be reached or refuses us.
 * `path` is the file, or the connection string without its password.
 */
export class DatabaseError extends BgAgentsError {
  constructor(code: DatabaseErrorCode,
    readonly path: string, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "DatabaseError";
  }
}

/** An agent name was not found in the shared state. */
export class AgentNotFoundError extends BgAgentsError {
  constructor(readonly agentName: string) {
    super("AGENT_NOT_FOUND", `No agent named "${agentName}" is registered. List agents with: bg-agents status`);
    this.name = "AgentNotFoundError";
  }
}

/** A value given to the API (agent name, state, field) is invalid. */
export class ValidationError extends BgAgentsError {
  constructor(message: string) {
    super("INVALID_INPUT", message);
    this.name = "ValidationError";
  }
}

/** The dashboard/API address is taken by another process (EADDRINUSE). */
export class PortInUseError extends BgAgentsError {
  constructor(readonly host: string, readonly port: number, cause?: unknown) {
    super("PORT_IN_USE", `Port ${port} on ${host} is already in use. Set DASHBOARD_PORT (or --port) to a free port, or 0 for any free port.`, { cause });
    this.name = "PortInUseError";
  }
}

/**
 * LangSmith could not be reached (no HTTP answer: refused, DNS, reset). `status` 0 is the usual
 * "network error" status; the langsmith client does not retry it, so callers back off themselves.
 */
export class LangSmithUnreachableError extends BgAgentsError {
  readonly status = 0;
  constructor(readonly endpoint: string, cause: unknown) {
    super("LANGSMITH_UNREACHABLE",
      `LangSmith at ${endpoint} is unreachable (${(cause as Error)?.cause instanceof Error ? ((cause as Error).cause as Error).message : (cause as Error)?.message ?? cause}). ` +
        `Check LANGSMITH_ENDPOINT and the network; the bridge retries with backoff.`, { cause });
    this.name = "LangSmithUnreachableError";
  }
}

export function isBgAgentsError(e: unknown): e is BgAgentsError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

/** A guard for the subclass whose instances are named `name` (every subclass sets its own). */
export function namedErrorGuard<T extends BgAgentsError>(name: string): (e: unknown) => e is T {
  return (e: unknown): e is T => isBgAgentsError(e) && e.name === name;
}

export const isLangSmithUnreachableError = namedErrorGuard<LangSmithUnreachableError>("LangSmithUnreachableError");
export const isConfigError = namedErrorGuard<ConfigError>("ConfigError");
export const isLockTimeoutError = namedErrorGuard<LockTimeoutError>("LockTimeoutError");
export const isDatabaseError = namedErrorGuard<DatabaseError>("DatabaseError");
export const isAgentNotFoundError = namedErrorGuard<AgentNotFoundError>("AgentNotFoundError");
export const isValidationError = namedErrorGuard<ValidationError>("ValidationError");
export const isPortInUseError = namedErrorGuard<PortInUseError>("PortInUseError");

/** SQLITE_BUSY / SQLITE_LOCKED from better-sqlite3: another connection holds a conflicting lock. */
export function isSqliteBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

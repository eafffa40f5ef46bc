/**
 * The pg Pool of a PostgreSQL store, and what its errors mean: a server that cannot be reached, a
 * refused login, a missing database become a DatabaseError naming DATABASE_URL and what to check;
 * a connection lost while running is retryable (the store waits for the server to come back).
 */
import pg from "pg";
import { DatabaseError } from "../../errors/index.js";

/** bigint columns hold epoch ms and counters, all well inside 2^53: read them as numbers. */
const INT8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8 && format !== "binary" ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

export interface PoolOptions {
  url: string;
  /** Connections this process may open. @defaultValue 3 (an agent uses 1-2: its writes and its checkpoints) */
  max?: number;
  /** Shown in pg_stat_activity (db-check lists who is connected). */
  applicationName?: string;
  /** Called (once per lost idle connection) when the server goes away between queries. */
  onIdleError?: (e: Error) => void;
}

export function createPool(o: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max ?? 3,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    application_name: o.applicationName ?? "background-agents",
    types,
  });
  // a connection cut by a server restart must not crash the process: pg emits 'error' on the pool
  // for an idle one, and on the client itself for one that is checked out between two queries
  // (the next query on it fails, is seen as a lost connection and retried on a fresh one)
  pool.on("error", (e) => o.onIdleError?.(e));
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

/** One connection outside the pool (migrations, set-up locks), so a pool of 1 cannot wait for itself. */
export function createClient(url: string, applicationName = "background-agents"): pg.Client {
  const client = new pg.Client({ connectionString: url, application_name: applicationName, types, connectionTimeoutMillis: 10_000 });
  // a connection lost while idle must not crash the process
  client.on("error", () => undefined);
  return client;
}

/** The URL without its password, for messages and storageInfo(). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

/** host:port/database as the URL names them (for messages). */
function target(url: string): { where: string; database: string; user: string } {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get("host") || "localhost";
    return { where: `${host}:${u.port || "5432"}`, database: decodeURIComponent(u.pathname.slice(1)) || "(default)", user: decodeURIComponent(u.username) || "(default)" };
  } catch {
    return { where: "(unparsable URL)", database: "?", user: "?" };
  }
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/**
 * The server is gone or not accepting connections (refused, reset, shutting down, starting up,
 * crash recovery): worth waiting for. SQLSTATE class 08 (connection exception) and 57P01-57P03.
 */
export function isConnectionLost(e: unknown): boolean {
  const code = String((e as { code?: unknown } | null)?.code ?? "");
  if (CONNECTION_CODES.has(code) || code.startsWith("08") || code === "57P01" || code === "57P02" || code === "57P03") return true;
  const message = String((e as Error | null)?.message ?? "");
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(message);
}

/** A transaction that lost a race and can simply run again (serialization failure, deadlock). */
export function isRetryableConflict(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === "40001" || code === "40P01";
}

/** A pg error during start-up as a DatabaseError that says what to check; anything else unchanged. */
export function asPgDatabaseError(e: unknown, url: string): unknown {
  if (e instanceof DatabaseError) return e;
  const shown = redactUrl(url);
  const { where, database, user } = target(url);
  const code = String((e as { code?: unknown } | null)?.code ?? "");
  const why = (e as Error | null)?.message ?? String(e);
  if (code === "28P01" || code === "28000") {
    return new DatabaseError("DB_AUTH_FAILED", shown,
      `PostgreSQL at ${where} refused user ${user} (${why}). Check the user and password in DATABASE_URL (percent-encoded) and the server's pg_hba.conf.`, { cause: e });
  }
  if (code === "3D000") {
    return new DatabaseError("DB_MISSING", shown,
      `PostgreSQL at ${where} has no database "${database}". Create it (createdb ${database}) or fix the database name in DATABASE_URL.`, { cause: e });
  }
  if (code === "42501") {
    return new DatabaseError("DB_PERMISSION", shown,
      `PostgreSQL user ${user} may not create or use our schema in "${database}" (${why}). GRANT CREATE ON DATABASE ${database} TO ${user}, or set DATABASE_SCHEMA to a schema it owns.`, { cause: e });
  }
  if (isConnectionLost(e) || /SSL|self[- ]signed|certificate/i.test(why)) {
    return new DatabaseError("DB_UNREACHABLE", shown,
      `Cannot reach PostgreSQL at ${where} (${code || why}). Check DATABASE_URL's host, port and sslmode, and that the server is running and accepts TCP connections.`, { cause: e });
  }
  return e;
}

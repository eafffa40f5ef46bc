/**
 * How the PostgreSQL store talks to the server: one statement, or one transaction, retried.
 * A lost race (serialization failure, deadlock) runs again up to RETRY_ATTEMPTS times. A lost
 * server (refused, reset, shutting down) is waited for, with delays growing by BACKOFF_FACTOR,
 * up to `reconnectWindowMs`; one line is logged when it goes and one when it is back, and only
 * after the window does the operation fail (DB_UNAVAILABLE). So a restarted server costs the
 * fleet a pause, not failed cycles and restarts.
 */
import type pg from "pg";
import { systemClock, type Clock } from "../../clock/index.js";
import { DatabaseError } from "../../errors/index.js";
import { backoffDelay } from "../../locking/index.js";
import { isConnectionLost, isRetryableConflict } from "./connection.js";

export type OutageLog = (level: "warn" | "info", message: string) => void;

export interface PgCoreOptions {
  pool: pg.Pool;
  /** The quoted schema of our tables. */
  schema: string;
  /** The URL without password (messages). */
  where: string;
  retryAttempts: number;
  backoffFactor: number;
  reconnectWindowMs: number;
  log: OutageLog;
  /**
   * Tests only: take "now" from this clock instead of the server's (passed as a parameter where
   * the SQL would call now_ms()), so a test can move time. Production never sets it.
   */
  testClock?: Clock;
}

/** A statement with its parameters; `name` makes it a prepared statement (parsed once per connection). */
export interface Sql {
  text: string;
  values?: unknown[];
  name?: string;
}

export class PgCore {
  readonly pool: pg.Pool;
  readonly s: string;
  readonly where: string;
  private readonly o: PgCoreOptions;
  private outageSince: number | undefined;
  /** performance.now() when the server came back after an outage seen by this process. */
  private backAt: number | undefined;

  constructor(o: PgCoreOptions) {
    this.o = o;
    this.pool = o.pool;
    this.s = o.schema;
    this.where = o.where;
  }

  /** The value for a `coalesce($n::bigint, now_ms())` parameter: null (the server's clock) unless a test clock is set. */
  nowParam(): number | null {
    return this.o.testClock ? Math.trunc(this.o.testClock.now()) : null;
  }

  /** SQL for "now" in epoch ms given the parameter number that carries nowParam(). */
  now(param: number): string {
    return `coalesce($${param}::bigint, ${this.s}.now_ms())`;
  }

  async query<R extends pg.QueryResultRow = Record<string, unknown>>(q: Sql): Promise<pg.QueryResult<R>> {
    return this.retry(() => this.pool.query<R>(q as pg.QueryConfig));
  }

  /** Runs `fn` in one transaction on one connection (READ COMMITTED unless `isolation` says otherwise). */
  async tx<T>(fn: (c: pg.PoolClient) => Promise<T>, isolation?: "REPEATABLE READ READ ONLY"): Promise<T> {
    return this.retry(async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(isolation ? `BEGIN ISOLATION LEVEL ${isolation}` : "BEGIN");
        const out = await fn(client);
        await client.query("COMMIT");
        return out;
      } catch (e) {
        if (isConnectionLost(e)) broken = e as Error;
        else await client.query("ROLLBACK").catch((re: Error) => (broken = re));
        throw e;
      } finally {
        // a broken connection is thrown away, not handed to the next caller
        client.release(broken);
      }
    });
  }

  /** Retries `op` as the file comment says. */
  async retry<T>(op: () => Promise<T>): Promise<T> {
    const clock = systemClock;
    let conflicts = 0;
    let lost = 0;
    for (;;) {
      try {
        const out = await op();
        this.recovered();
        return out;
      } catch (e) {
        if (isRetryableConflict(e) && ++conflicts < this.o.retryAttempts) {
          await clock.sleep(backoffDelay(conflicts, 20, this.o.backoffFactor));
          continue;
        }
        if (!isConnectionLost(e)) throw e;
        const since = this.wentAway(e);
        if (Date.now() - since >= this.o.reconnectWindowMs) {
          throw new DatabaseError("DB_UNAVAILABLE", this.where,
            `PostgreSQL at ${this.where} has been unreachable for ${Math.round((Date.now() - since) / 1000)}s (${describe(e)}). ` +
              `Check the server and the network; DATABASE_URL names it.`, { cause: e });
        }
        await clock.sleep(backoffDelay(++lost, 200, this.o.backoffFactor, 2_000));
      }
    }
  }

  /**
   * Whether this process lost the server less than `ms` ago. Nobody could heartbeat while it was
   * gone, so every agent looks as old as the outage; the stale sweep waits one threshold after it.
   */
  recentlyBack(ms: number): boolean {
    return this.outageSince !== undefined || (this.backAt !== undefined && performance.now() - this.backAt < ms);
  }

  private wentAway(e: unknown): number {
    if (this.outageSince === undefined) {
      this.outageSince = Date.now();
      this.o.log("warn", `PostgreSQL at ${this.where} is unreachable (${describe(e)}); waiting up to ${Math.round(this.o.reconnectWindowMs / 1000)}s for it to come back`);
    }
    return this.outageSince;
  }

  private recovered(): void {
    if (this.outageSince === undefined) return;
    const secs = ((Date.now() - this.outageSince) / 1000).toFixed(1);
    this.outageSince = undefined;
    this.backAt = performance.now();
    this.o.log("info", `PostgreSQL at ${this.where} is reachable again after ${secs}s`);
  }
}

function describe(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" && code ? code : ((e as Error)?.message ?? String(e));
}

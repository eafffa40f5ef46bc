/**
 * Leader leases on PostgreSQL (FACTS.md "PostgreSQL": a lease row renewed every TTL/3 took over
 * in TTL + one tick after SIGKILL, SIGSTOP and a network cut, never with two leaders; advisory
 * locks did not fail over). Times are the server's (now_ms()). Lease calls go to the pool without
 * the outage retries: the elector judges its own deadline, and a renewal stuck on a lost server
 * must not hold a standby back.
 */
import type pg from "pg";
import type { LeaseCandidate, LeaseFence, LeaseMember, LeaderLease } from "../lease-types.js";
import type { PgCore } from "./core.js";

export class PgLeases implements LeaderLease {
  constructor(private readonly core: PgCore) {}

  private get s(): string {
    return this.core.s;
  }

  async tryLease(lease: string, who: LeaseCandidate, ttlMs: number): Promise<{ epoch: number } | null> {
    const values = [lease, who.holder, Math.ceil(ttlMs), this.core.nowParam(), who.host, who.pid, who.agent];
    const take = () => this.core.pool.query<{ epoch: string }>(`WITH t AS (SELECT ${this.core.now(4)} AS now),
      seen AS (INSERT INTO ${this.s}.lease_members (lease, holder, host, pid, agent, seen_at) SELECT $1, $2, $5, $6, $7, t.now FROM t
        ON CONFLICT (lease, holder) DO UPDATE SET host = excluded.host, pid = excluded.pid, agent = excluded.agent, seen_at = excluded.seen_at)
      UPDATE ${this.s}.leases l SET holder = $2, epoch = l.epoch + (l.holder IS DISTINCT FROM $2)::int,
        acquired_at = CASE WHEN l.holder IS DISTINCT FROM $2 THEN t.now ELSE l.acquired_at END, expires_at = t.now + $3::bigint
      FROM t WHERE l.name = $1 AND (l.holder = $2 OR l.expires_at < t.now)
      RETURNING l.epoch`, values);
    let r = await take();
    if (!r.rows.length) {
      const made = await this.core.pool.query(`INSERT INTO ${this.s}.leases(name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [lease]);
      if (made.rowCount) r = await take();
    }
    return r.rows[0] ? { epoch: Number(r.rows[0].epoch) } : null;
  }

  async releaseLease(lease: string, holder: string): Promise<void> {
    await this.core.pool.query(`UPDATE ${this.s}.leases SET expires_at = 0 WHERE name = $1 AND holder = $2`, [lease, holder]);
    await this.core.pool.query(`DELETE FROM ${this.s}.lease_members WHERE lease = $1 AND holder = $2`, [lease, holder]);
  }

  async leaseMembers(lease: string, withinMs: number): Promise<LeaseMember[]> {
    const r = await this.core.query<{ holder: string; host: string; pid: number; agent: string; seen_at: string; leads: boolean; epoch: string; expires_at: string }>({
      text: `WITH t AS (SELECT ${this.core.now(2)} AS now)
        SELECT m.holder, m.host, m.pid, m.agent, m.seen_at, (l.holder = m.holder AND l.expires_at > t.now) IS TRUE AS leads, l.epoch, l.expires_at
        FROM t, ${this.s}.lease_members m LEFT JOIN ${this.s}.leases l ON l.name = m.lease
        WHERE m.lease = $1 AND m.seen_at >= t.now - $3::bigint
        ORDER BY leads DESC, m.host, m.holder`,
      values: [lease, this.core.nowParam(), Math.ceil(withinMs)],
    });
    return r.rows.map((x) => ({
      lease, holder: x.holder, host: x.host, pid: x.pid, agent: x.agent, seenAt: Number(x.seen_at),
      role: x.leads ? "leader" : "standby", epoch: x.leads ? Number(x.epoch) : null, expiresAt: x.leads ? Number(x.expires_at) : null,
    }));
  }
}

/**
 * Runs `fn` in a transaction only while `fence` still holds: the lease row is locked FOR SHARE in
 * it, so a takeover waits for the commit, and a holder whose lease ran out or was taken writes
 * nothing (null). A holder paused inside the transaction is cut off by the server after the lease
 * time (idle_in_transaction_session_timeout), so it cannot block a takeover either.
 */
export async function underFence<T>(core: PgCore, fence: LeaseFence, ttlMs: number, fn: (c: pg.PoolClient) => Promise<T>): Promise<T | null> {
  return core.tx(async (c) => {
    await c.query(`SELECT set_config('idle_in_transaction_session_timeout', $1, true)`, [String(Math.max(100, Math.ceil(ttlMs)))]);
    const held = await c.query(`SELECT 1 FROM ${core.s}.leases WHERE name = $1 AND holder = $2 AND epoch = $3 AND expires_at > ${core.now(4)} FOR SHARE`,
      [fence.lease, fence.holder, fence.epoch, core.nowParam()]);
    return held.rows.length ? fn(c) : null;
  });
}

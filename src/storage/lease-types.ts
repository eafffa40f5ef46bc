/** Leader leases between monitors (src/leadership elects with them; the stale sweep and the notifier carry the fence). */

/** The lease the monitors compete for. */
export const MONITOR_LEASE = "monitor";

/** A lease held at an epoch: the fencing token a leader's writes carry. */
export interface LeaseFence {
  lease: string;
  holder: string;
  epoch: number;
  /** The lease's length: a fenced transaction that stalls longer is cut off by the server. */
  ttlMs: number;
}

/** A process taking part in a lease (a monitor), as the database last saw it. */
export interface LeaseMember {
  lease: string;
  holder: string;
  host: string;
  pid: number;
  agent: string;
  /** Epoch ms (store clock) of its last renewal attempt. */
  seenAt: number;
  role: "leader" | "standby";
  /** The lease's epoch when this member is the leader. */
  epoch: number | null;
  /** Epoch ms (store clock) when the leader's lease runs out. */
  expiresAt: number | null;
}

export interface LeaseCandidate {
  holder: string;
  host: string;
  pid: number;
  agent: string;
}

/**
 * Leader election between monitors (PostgreSQL: a lease row with an epoch; SQLite: one monitor per
 * file already, so always granted). The grant's `ttlMs` starts when the request was sent: the
 * caller acts only until then.
 */
export interface LeaderLease {
  /** Takes or renews `lease` for `who`; the epoch held, or null while another holder's lease runs. Also records `who` as a member. */
  tryLease(lease: string, who: LeaseCandidate, ttlMs: number): Promise<{ epoch: number } | null>;
  /** Gives the lease up at once (clean shutdown) if `holder` holds it; forgets the member. */
  releaseLease(lease: string, holder: string): Promise<void>;
  /** Members seen within `withinMs`, the leader first. */
  leaseMembers(lease: string, withinMs: number): Promise<LeaseMember[]>;
}

/**
 * LeaderLease on SQLite: one host, one file, and the instance lock already allows one monitor, so
 * every request is granted (epoch 1) and the fence is never checked. Members are the ones this
 * process has seen (another process's monitor is not visible here).
 */
import type { Clock } from "../../clock/index.js";
import type { LeaseCandidate, LeaseMember, LeaderLease } from "../lease-types.js";

export class SoleLeader implements LeaderLease {
  private readonly members = new Map<string, LeaseMember>();

  constructor(private readonly clock: Clock) {}

  async tryLease(lease: string, who: LeaseCandidate, ttlMs: number): Promise<{ epoch: number }> {
    const now = this.clock.now();
    this.members.set(`${lease}\n${who.holder}`, { lease, ...who, seenAt: now, role: "leader", epoch: 1, expiresAt: now + ttlMs });
    return { epoch: 1 };
  }

  async releaseLease(lease: string, holder: string): Promise<void> {
    this.members.delete(`${lease}\n${holder}`);
  }

  async leaseMembers(lease: string, withinMs: number): Promise<LeaseMember[]> {
    const since = this.clock.now() - withinMs;
    return [...this.members.values()].filter((m) => m.lease === lease && m.seenAt >= since);
  }
}

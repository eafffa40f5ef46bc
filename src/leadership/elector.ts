/**
 * One leader among several monitors: renews a lease every third of its length and acts only until
 * its own deadline (the time the renewal was sent + the lease - a margin), so a process that was
 * paused or cut off stops acting before anyone else can take over; its writes also carry the
 * lease's epoch (fence()), which the database checks, for a process that wakes mid-write.
 */
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { systemClock, type Clock } from "../clock/index.js";
import type { Logger } from "../logging/index.js";
import { MONITOR_LEASE, type LeaderLease, type LeaseFence } from "../storage/index.js";

export interface LeaderElectorOptions {
  store: LeaderLease;
  ttlMs: number;
  /** The agent name this process runs as (shown beside host and pid). */
  agent: string;
  /** @defaultValue MONITOR_LEASE */
  lease?: string;
  /** @defaultValue os.hostname() */
  host?: string;
  clock?: Clock;
  logger?: Logger;
}

export type Role = "leader" | "standby";

export class LeaderElector {
  readonly holder: string;
  private readonly o: Required<Omit<LeaderElectorOptions, "logger">> & { logger?: Logger };
  private epoch: number | undefined;
  private deadline = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastRole: Role | undefined;
  private stopped = false;
  private first: Promise<void> | undefined;

  constructor(opts: LeaderElectorOptions) {
    this.o = { lease: MONITOR_LEASE, host: hostname(), clock: systemClock, ...opts };
    this.holder = `${this.o.host}/${process.pid}/${randomUUID().slice(0, 8)}`;
  }

  /** Leader now, by this process's own deadline (never longer than the lease it was granted). */
  isLeader(): boolean {
    return this.epoch !== undefined && this.o.clock.now() < this.deadline;
  }

  role(): Role {
    return this.isLeader() ? "leader" : "standby";
  }

  /** The token the leader's writes carry; undefined when not leader. */
  fence(): LeaseFence | undefined {
    return this.isLeader() ? { lease: this.o.lease, holder: this.holder, epoch: this.epoch!, ttlMs: this.o.ttlMs } : undefined;
  }

  /** Resolves once the first attempt has been answered (or has failed). */
  ready(): Promise<void> {
    return this.first ?? this.start();
  }

  /** Tries once now, then every third of the lease until stop(). */
  start(): Promise<void> {
    this.first ??= this.begin();
    return this.first;
  }

  private async begin(): Promise<void> {
    await this.renew();
    if (this.stopped) return;
    const every = Math.max(10, Math.floor(this.o.ttlMs / 3));
    this.timer = setInterval(() => void this.renew(), every);
    this.timer.unref();
  }

  /** One renewal attempt; a previous one still waiting on the database is not doubled. */
  renew(): Promise<void> {
    this.inFlight ??= this.attempt().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async attempt(): Promise<void> {
    const sentAt = this.o.clock.now();
    try {
      const grant = await this.o.store.tryLease(this.o.lease, { holder: this.holder, host: this.o.host, pid: process.pid, agent: this.o.agent }, this.o.ttlMs);
      if (this.stopped) return;
      this.epoch = grant?.epoch;
      // a tenth of the lease for the hosts' clocks running at slightly different rates
      this.deadline = grant ? sentAt + this.o.ttlMs * 0.9 : 0;
    } catch (e) {
      this.o.logger?.warn(`leader lease: could not renew (${(e as Error).message}); acting as standby until it can`, { module: "leadership" });
      if (this.o.clock.now() >= this.deadline) this.epoch = undefined;
    }
    this.noteRole();
  }

  private noteRole(): void {
    const role = this.role();
    if (role === this.lastRole) return;
    this.lastRole = role;
    this.o.logger?.info(role === "leader" ? `leader of ${this.o.lease} (epoch ${this.epoch}) as ${this.holder}` : `standby for ${this.o.lease} as ${this.holder}`,
      { module: "leadership", role, epoch: this.epoch });
  }

  /** Stops renewing and hands the lease over at once. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    this.stopped = true;
    this.epoch = undefined;
    this.deadline = 0;
    // bounded: on a lost server the release would wait as long as the renewal does
    const release = (this.inFlight ?? Promise.resolve()).then(() => this.o.store.releaseLease(this.o.lease, this.holder)).catch(() => undefined);
    await Promise.race([release, this.o.clock.sleep(this.o.ttlMs)]);
  }
}

/**
 * One supervisor per host and PostgreSQL database: the lease `supervisor@<host>` (the same lease
 * rows the monitors elect a leader with, in the server's time), taken at start-up, renewed every
 * third of its length, given up on a clean stop. A supervisor SIGKILLed on this machine does not
 * block its successor until the lease runs out: a holder whose pid lives in our pid space and is
 * gone is released at once. Other supervisors and the CLI see a host's supervisor as running
 * while its lease runs (readSupervisors).
 */
import { randomUUID } from "node:crypto";
import type { Logger } from "../logging/index.js";
import { pidAlive, pidSpaceId } from "../process/index.js";
import type { LeaderLease, LeaseCandidate } from "../storage/index.js";
import { SupervisorRunningError } from "./errors.js";
import { supervisorLease } from "./host.js";

export interface HostLockOptions {
  store: LeaderLease;
  host: string;
  /** The lease's length: how long after a supervisor died, hung or lost the network another may run for its host. */
  ttlMs: number;
  /** The database, as messages name it (no password). */
  where: string;
  /** Called once when another supervisor holds this host's lease (this one was paused or cut off past it). */
  onLost: (why: string) => void;
  logger?: Logger;
}

/** Far enough back to see any member that did not release its lease. */
export const MEMBER_WINDOW_MS = 365 * 24 * 3600_000;

export class HostLock {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private released = false;
  private readonly lease: string;
  private readonly who: LeaseCandidate;

  private constructor(private readonly o: HostLockOptions) {
    this.lease = supervisorLease(o.host);
    this.who = { holder: `${o.host}/${pidSpaceId()}/${process.pid}/${randomUUID().slice(0, 8)}`, host: o.host, pid: process.pid, agent: "supervisor" };
  }

  /** Takes the host's lease or throws SupervisorRunningError naming the holder; renews it from then on. */
  static async acquire(o: HostLockOptions): Promise<HostLock> {
    const lock = new HostLock(o);
    await lock.take();
    lock.timer = setInterval(() => void lock.renew(), Math.max(10, Math.floor(o.ttlMs / 3)));
    lock.timer.unref();
    return lock;
  }

  get holder(): string {
    return this.who.holder;
  }

  private async take(): Promise<void> {
    if (await this.o.store.tryLease(this.lease, this.who, this.o.ttlMs)) return;
    const holder = (await this.o.store.leaseMembers(this.lease, MEMBER_WINDOW_MS)).find((m) => m.role === "leader");
    if (holder && pidSpaceOf(holder.holder) === pidSpaceId() && !pidAlive(holder.pid)) {
      this.o.logger?.warn(`the previous supervisor of host ${this.o.host} (pid ${holder.pid}) is gone: taking its lease over`, { module: "supervision" });
      await this.o.store.releaseLease(this.lease, holder.holder);
      if (await this.o.store.tryLease(this.lease, this.who, this.o.ttlMs)) return;
    } else if (!holder && (await this.o.store.tryLease(this.lease, this.who, this.o.ttlMs))) {
      return; // it ran out between the two reads
    }
    const who = holder ? `pid ${holder.pid} on ${holder.host}, last seen ${new Date(holder.seenAt).toISOString()}` : "holder unknown";
    throw new SupervisorRunningError(`host ${this.o.host} of ${this.o.where}`, who);
  }

  /** One renewal; a failed one (database away) is retried on the next, the lease is only lost when another holds it. */
  renew(): Promise<void> {
    this.inFlight ??= this.attempt().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async attempt(): Promise<void> {
    try {
      const grant = await this.o.store.tryLease(this.lease, this.who, this.o.ttlMs);
      if (grant || this.released) return;
      this.stopRenewing();
      this.o.onLost(`another supervisor took over host ${this.o.host} (this one was paused or cut off longer than its lease)`);
    } catch (e) {
      this.o.logger?.debug(`supervisor lease not renewed: ${(e as Error).message}`, { module: "supervision" });
    }
  }

  private stopRenewing(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Gives the lease up, so a new supervisor for this host may start at once. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopRenewing();
    await (this.inFlight ?? Promise.resolve()).then(() => this.o.store.releaseLease(this.lease, this.who.holder)).catch(() => undefined);
  }
}

/** The pid space a holder named itself with (`host/pidspace/pid/nonce`). */
function pidSpaceOf(holder: string): string | undefined {
  return holder.split("/")[1];
}

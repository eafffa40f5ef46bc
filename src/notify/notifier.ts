/**
 * The notifier: follows the transition feed from a cursor kept in the database, writes each
 * message to the outbox in the same transaction that moves the cursor, then sends every
 * channel's outbox in order, each channel on its own (one that is down holds up only itself).
 * Delivery is at least once: a crash between sending and marking resends that one message with the
 * same idempotency key, which receivers drop.
 */
import picomatch from "picomatch";
import type { Clock } from "../clock/index.js";
import type { Logger } from "../logging/index.js";
import type { LeaseFence, MonitorStore, NotifyStore, OutboxEntry, Silence, SignalStore, TransitionFeed } from "../storage/index.js";
import { planAnomalies } from "./anomaly-news.js";
import { deliver } from "./deliver.js";
import { emptyPlanState, narrow, plan, type PlanState } from "./plan.js";
import type { ChannelSpec, Notification } from "./types.js";

export interface NotifierOptions {
  store: TransitionFeed & Pick<MonitorStore, "findStaleAgents"> & { notify: NotifyStore; signals?: Pick<SignalStore, "events"> };
  channels: readonly ChannelSpec[];
  clock: Clock;
  logger: Logger;
  host: string;
  dashboardUrl?: string;
  /** HMAC key for generic webhooks (NOTIFY_SECRET). */
  secret?: string;
  /** @defaultValue 5_000 */
  groupWindowMs?: number;
  /** @defaultValue 600_000 */
  flapWindowMs?: number;
  /** @defaultValue 4 */
  flapCount?: number;
  /** First retry wait; doubles up to retryMaxMs. @defaultValue 5_000 */
  retryBaseMs?: number;
  /** @defaultValue 300_000 */
  retryMaxMs?: number;
  /** A gap this long since the last tick means the monitor itself was down. @defaultValue 120_000 */
  monitorDownAfterMs?: number;
  /** Leader election: a standby plans and sends nothing. @defaultValue always true */
  isLeader?: () => boolean;
  /** The leader's lease fence, carried by the plan commit so a leader that lost its lease writes nothing. */
  fence?: () => LeaseFence | undefined;
  /** The storm guard's suspicion, said in stale messages. */
  suspicion?: () => string | undefined;
  /** @defaultValue 10_000 */
  sendTimeoutMs?: number;
  /** LATE_AFTER: channels with `events=late` hear of live agents this far behind. @defaultValue off */
  lateAfterMs?: number;
}

const DEFAULTS = { groupWindowMs: 5_000, flapWindowMs: 600_000, flapCount: 4, retryBaseMs: 5_000, retryMaxMs: 300_000, monitorDownAfterMs: 120_000, sendTimeoutMs: 10_000 };

export class Notifier {
  private readonly o: NotifierOptions & typeof DEFAULTS;
  private readonly draining = new Map<string, Promise<void>>();
  private readonly downChannels = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Late agents already announced, with the heartbeat they were late after (a new episode is a new heartbeat). */
  private lateSeen = new Map<string, number>();
  private ticking: Promise<void> | undefined;

  constructor(opts: NotifierOptions) {
    this.o = { ...DEFAULTS, ...opts };
  }

  /** Plans what is new in the feed into the outbox, then starts sending what is due. */
  async tick(): Promise<void> {
    if (this.o.isLeader && !this.o.isLeader()) return;
    await this.planNew();
    for (const ch of this.o.channels) if (!this.draining.has(ch.id)) this.draining.set(ch.id, this.drain(ch).finally(() => this.draining.delete(ch.id)));
  }

  /** Ticks every `intervalMs` until stop(). */
  start(intervalMs: number): void {
    const run = () => {
      this.ticking = this.tick()
        .catch((e: unknown) => {
          this.o.logger.warn(`notifier: ${(e as Error).message}; trying again in ${intervalMs} ms`);
        })
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(run, intervalMs);
        });
    };
    this.timer = setTimeout(run, 0);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.ticking;
    await this.idle();
  }

  /** Resolves when every channel has sent what it could for now (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining.size) await Promise.allSettled([...this.draining.values()]);
  }

  private async planNew(): Promise<void> {
    const { store, clock } = this.o;
    const cp = await store.notify.readCheckpoint();
    const now = clock.now();
    if (cp.tickAt === null) {
      // first run on this database: what happened before notifications were set up is history, not news
      const { lastId } = await store.countTransitions(cp.cursor);
      const state = { ...emptyPlanState(), anomalyCursor: await this.lastAnomalyId() };
      await store.notify.commitPlan([], { cursor: lastId, state, tickAt: now }, this.o.fence?.());
      return;
    }
    const state = (cp.state as PlanState | null) ?? emptyPlanState();
    const silences = await store.notify.activeSilences();
    const silenced = (agent: string, at: number) => silences.some((s) => s.createdAt <= at && at < s.until && matches(s, agent));
    const transitions = await store.transitionsAfter(cp.cursor, 1000);
    const suspicion = this.o.suspicion?.();
    const p = plan(transitions, cp.cursor, state, {
      now, host: this.o.host, dashboardUrl: this.o.dashboardUrl, groupWindowMs: this.o.groupWindowMs,
      flapWindowMs: this.o.flapWindowMs, flapCount: this.o.flapCount, isSilenced: silenced, suspicion,
    });
    const anomalies = await this.anomalyNews(p.state, now, silenced);
    const notes = [...p.notifications, ...anomalies, ...(await this.lateNews(now, silenced))];
    if (now - cp.tickAt > this.o.monitorDownAfterMs) notes.unshift(this.monitorWasDown(cp.tickAt, now));
    const entries: OutboxEntry[] = [];
    for (const ch of this.o.channels) {
      const keep = ch.agents.length ? picomatch(ch.agents as string[]) : () => true;
      for (const n of notes) {
        if (!ch.events.has(n.event)) continue;
        const mine = n.agents.length ? narrow(n, keep, suspicion) : n;
        if (mine) entries.push({ channel: ch.id, key: mine.key, event: mine.event, agents: mine.agents, payload: mine });
      }
    }
    // nothing new: write only now and then, to keep the liveness stamp the next start reads
    const moved = p.through !== cp.cursor || p.state.anomalyCursor !== state.anomalyCursor;
    if (entries.length === 0 && !moved && now - cp.tickAt < this.o.monitorDownAfterMs / 4) return;
    await store.notify.commitPlan(entries, { cursor: p.through, state: p.state, tickAt: now }, this.o.fence?.());
  }

  /** The newest anomaly event's id (0 when none): what happened before is history, not news. */
  private async lastAnomalyId(): Promise<number> {
    let last = 0;
    for (let page = await this.o.store.signals?.events({ limit: 1000 }); page?.length; page = await this.o.store.signals?.events({ afterId: last, limit: 1000 })) last = page.at(-1)!.id;
    return last;
  }

  /** Messages of event `anomaly` for anomaly starts and ends since the plan's cursor, which it moves. */
  private async anomalyNews(state: PlanState, now: number, silenced: (agent: string, at: number) => boolean): Promise<Notification[]> {
    const signals = this.o.store.signals;
    if (!signals) return [];
    if (state.anomalyCursor === undefined) {
      state.anomalyCursor = await this.lastAnomalyId();
      return [];
    }
    const events = await signals.events({ afterId: state.anomalyCursor, limit: 1000 });
    const a = planAnomalies(events, state.anomalyCursor, { now, host: this.o.host, dashboardUrl: this.o.dashboardUrl, groupWindowMs: this.o.groupWindowMs, isSilenced: silenced });
    state.anomalyCursor = a.through;
    return a.notifications;
  }

  /** One message naming the live agents newly past LATE_AFTER, when a channel asked for `late`. */
  private async lateNews(now: number, silenced: (agent: string, at: number) => boolean): Promise<Notification[]> {
    const { lateAfterMs } = this.o;
    if (lateAfterMs === undefined || !this.o.channels.some((c) => c.events.has("late"))) return [];
    const { sample } = await this.o.store.findStaleAgents(lateAfterMs, 500);
    const fresh = sample.filter((a) => this.lateSeen.get(a.name) !== a.lastHeartbeat && !silenced(a.name, now));
    this.lateSeen = new Map(sample.map((a) => [a.name, a.lastHeartbeat]));
    if (fresh.length === 0) return [];
    const names = fresh.map((a) => a.name);
    return [{
      key: `bg-late-${fresh.map((a) => `${a.name}@${a.lastHeartbeat}`).join(",").slice(0, 200)}`,
      event: "late",
      title: fresh.length === 1 ? `${names[0]} is late` : `${fresh.length} agents late: ${names.join(", ")}`,
      detail: fresh.map((a) => `${a.name}: no heartbeat for ${Math.round(a.ageMs / 1000)} s (stale after the threshold)`),
      changes: [], agents: names, at: now, host: this.o.host, dashboardUrl: this.o.dashboardUrl,
    }];
  }

  private monitorWasDown(since: number, now: number): Notification {
    const mins = Math.round((now - since) / 60_000);
    return {
      key: `bg-monitor-${since}`, event: "monitor",
      title: `The monitor was down for ${mins >= 1 ? `${mins} min` : `${Math.round((now - since) / 1000)} s`}`,
      detail: [`No notifications were planned from ${new Date(since).toISOString()} to ${new Date(now).toISOString()}; what changed meanwhile follows.`],
      changes: [], agents: [], at: now, host: this.o.host, dashboardUrl: this.o.dashboardUrl,
    };
  }

  /** Sends one channel's outbox oldest first; stops at the first message that is not due or fails. */
  private async drain(ch: ChannelSpec): Promise<void> {
    const { store, clock, logger } = this.o;
    for (;;) {
      const batch = await store.notify.pending(ch.id, 20);
      if (batch.length === 0) return;
      for (const d of batch) {
        if (d.nextAttemptAt > clock.now()) return;
        const r = await deliver(ch, d.payload as Notification, { secret: this.o.secret, timeoutMs: this.o.sendTimeoutMs });
        if (r.ok) {
          await store.notify.markDelivered(d.id);
          if (this.downChannels.delete(ch.id)) logger.info(`notifications: ${ch.id} answers again; sending what it missed`);
          continue;
        }
        const wait = Math.min(this.o.retryMaxMs, this.o.retryBaseMs * 2 ** d.attempts);
        await store.notify.markFailed(d.id, r.error ?? `status ${r.status}`, clock.now() + wait, r.permanent);
        if (r.permanent) {
          logger.error(`notifications: ${ch.id} refused message ${d.key} (${r.error}); it is dropped, not retried. Check the channel's URL in NOTIFY_URLS`);
          continue;
        }
        if (!this.downChannels.has(ch.id)) {
          this.downChannels.add(ch.id);
          logger.warn(`notifications: ${ch.id} is not answering (${r.error}); its messages wait and are retried with backoff, other channels go on`);
        }
        return;
      }
    }
  }
}

function matches(s: Silence, agent: string): boolean {
  return s.pattern === agent || picomatch.isMatch(agent, s.pattern);
}

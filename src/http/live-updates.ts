/**
 * Server-sent events for the dashboard. While at least one client listens, the hub polls the store's
 * change token (cheap: counts, newest heartbeat/state change, errors, restarts) and
 * sends `event: summary` when it changed; clients then refetch what they show. A write nudges a
 * poll sooner, at most one per `nudgeGapMs` (a busy push route would otherwise poll per request).
 * A comment line every 15 s keeps proxies from closing idle streams.
 */
import type { ServerResponse } from "node:http";
import type { Logger } from "../logging/index.js";
import { RepeatedProblem } from "../logging/repeat.js";
import type { StateStore } from "../storage/index.js";
import { toSummaryView } from "../views/agent-view.js";

export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private last = "";
  private polling = false;
  private seq = 0;
  private nudgeTimer: NodeJS.Timeout | undefined;
  private lastNudgedPoll = -Infinity;

  private readonly trouble: RepeatedProblem;

  constructor(private readonly store: StateStore, logger: Logger, private readonly pollMs: number, private readonly nudgeGapMs = 250) {
    this.trouble = new RepeatedProblem(logger, "live update poll");
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Takes over `res` as an event stream until the client goes away or close() is called. */
  attach(res: ServerResponse): void {
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
    res.write(`retry: 2000\n\n`);
    this.clients.add(res);
    res.on("close", () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stopTimers();
    });
    this.last = ""; // the newcomer gets the current summary at once
    this.startTimers();
    void this.poll();
  }

  /** Asks for a poll soon (e.g. right after a heartbeat push); nudges within nudgeGapMs share one poll, after the last of them. */
  nudge(): void {
    if (this.clients.size === 0 || this.nudgeTimer) return;
    const wait = Math.max(0, this.lastNudgedPoll + this.nudgeGapMs - performance.now());
    this.nudgeTimer = setTimeout(() => {
      this.nudgeTimer = undefined;
      this.lastNudgedPoll = performance.now();
      void this.poll();
    }, wait);
  }

  close(): void {
    this.stopTimers();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private startTimers(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(), this.pollMs);
    this.keepAlive = setInterval(() => this.broadcast(`: keep-alive\n\n`), 15_000);
  }

  private stopTimers(): void {
    clearInterval(this.timer);
    clearInterval(this.keepAlive);
    clearTimeout(this.nudgeTimer);
    this.timer = this.keepAlive = this.nudgeTimer = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling || this.clients.size === 0) return;
    this.polling = true;
    try {
      const fp = await this.store.changeToken();
      this.trouble.recovered();
      if (fp === this.last) return;
      this.last = fp;
      const summary = toSummaryView(await this.store.summary());
      this.broadcast(`id: ${++this.seq}\nevent: summary\ndata: ${JSON.stringify(summary)}\n\n`);
    } catch (e) {
      this.trouble.failed(e);
    } finally {
      this.polling = false;
    }
  }

  private broadcast(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}

/** Runs the notifier beside the monitor when NOTIFY_URLS (or NOTIFY_URLS_FILE) names a channel. */
import { hostname } from "node:os";
import type { Clock } from "../clock/index.js";
import type { Config } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import type { LeaseFence, MonitorStore, NotifyStore, SignalStore, TransitionFeed } from "../storage/index.js";
import { channelsFromConfig, dashboardLink } from "./config.js";
import { Notifier } from "./notifier.js";

export interface StartNotifierOptions {
  config: Config;
  store: TransitionFeed & Pick<MonitorStore, "findStaleAgents"> & { notify: NotifyStore; signals?: Pick<SignalStore, "events"> };
  clock: Clock;
  logger: Logger;
  isLeader?: () => boolean;
  fence?: () => LeaseFence | undefined;
  suspicion?: () => string | undefined;
  /** @defaultValue 1 s: the feed is read this often; grouping waits NOTIFY_GROUP_WINDOW anyway */
  tickMs?: number;
}

export function startNotifier(o: StartNotifierOptions): Notifier | undefined {
  const channels = channelsFromConfig(o.config);
  if (channels.length === 0) return undefined;
  const notifier = new Notifier({
    store: o.store, channels, clock: o.clock, logger: o.logger.child({ module: "notify" }), host: hostname(),
    dashboardUrl: dashboardLink(o.config), secret: o.config.notifySecret,
    groupWindowMs: o.config.notifyGroupWindowMs, flapWindowMs: o.config.notifyFlapWindowMs, flapCount: o.config.notifyFlapCount,
    monitorDownAfterMs: o.config.staleThresholdMs, lateAfterMs: o.config.lateAfterMs, isLeader: o.isLeader, fence: o.fence, suspicion: o.suspicion,
  });
  notifier.start(o.tickMs ?? 1_000);
  o.logger.info(`notifications on: ${channels.map((c) => c.id).join(", ")}`);
  return notifier;
}

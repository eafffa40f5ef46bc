/**
 * Beside the HeartbeatHealthAgent's cycles: its leader lease (several monitors on one PostgreSQL
 * database: one acts), and the notifier, when NOTIFY_URLS (or NOTIFY_URLS_FILE) names a channel.
 */
import { startNotifier } from "../../notify/index.js";
import type { AgentContext } from "../context.js";
import type { Sidecar } from "../runtime/graph-module.js";
import { monitorLeadership } from "./leadership.js";

export function heartbeatSidecar(ctx: AgentContext): Sidecar {
  const leader = monitorLeadership(ctx);
  const notifier = startNotifier({ config: ctx.config, store: ctx.store, clock: ctx.clock, logger: ctx.logger,
    isLeader: () => leader.isLeader(), fence: () => leader.fence() });
  return {
    async stop() {
      await notifier?.stop();
      await leader.stop();
    },
  };
}

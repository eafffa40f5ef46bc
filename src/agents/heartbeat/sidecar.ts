/** Beside the HeartbeatHealthAgent's cycles: the notifier, when NOTIFY_URLS (or NOTIFY_URLS_FILE) names a channel. */
import { startNotifier } from "../../notify/index.js";
import type { AgentContext } from "../context.js";
import type { Sidecar } from "../runtime/graph-module.js";

export function heartbeatSidecar(ctx: AgentContext): Sidecar | undefined {
  return startNotifier({ config: ctx.config, store: ctx.store, clock: ctx.clock, logger: ctx.logger });
}

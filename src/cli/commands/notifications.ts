/**
 * `bg-agents notifications`: recent deliveries from the outbox, per channel, with their status.
 * `bg-agents notify-test`: a test message to every configured channel, now.
 */
import type { Command } from "commander";
import { hostname } from "node:os";
import { BgAgentsError } from "../../errors/index.js";
import { channelsFromConfig, dashboardLink, sendTestMessage } from "../../notify/index.js";
import type { Delivery } from "../../storage/index.js";
import { printJson } from "../format/json.js";
import { renderTable } from "../format/table.js";
import { formatAge } from "../format/units.js";
import { action, cliConfig, countArg, EXIT, openExistingStore, withCommonOptions, type DbOptions } from "../support/run.js";

interface ListOptions extends DbOptions {
  agent?: string;
  limit: number;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("notifications")
      .description("List recent notification deliveries (outbox): channel, event, agents, status, attempts, last error")
      .option("--agent <name>", "only messages about this agent")
      .option("-n, --limit <n>", "newest deliveries to list", countArg, 20),
  )
    .addHelpText("after", "\nExit codes: 0 listed, 2 bad config or database.")
    .action(action(async (opts: ListOptions) => {
      const config = cliConfig({ databasePath: opts.db });
      const store = await openExistingStore(config);
      let rows: Delivery[];
      let backlog: Record<string, number>;
      try {
        rows = await store.notify.deliveries({ agent: opts.agent, limit: Math.max(1, opts.limit) });
        backlog = await store.notify.backlog();
      } finally {
        await store.close();
      }
      if (opts.json) {
        printJson({ backlog, deliveries: rows.map(({ payload: _payload, ...d }) => d) });
        return EXIT.OK;
      }
      const now = Date.now();
      const lines = [rows.length ? renderTable(rows, [
        { header: "WHEN", value: (d) => formatAge(now - d.createdAt) + " ago" },
        { header: "CHANNEL", value: (d) => d.channel },
        { header: "EVENT", value: (d) => d.event },
        { header: "AGENTS", value: (d) => d.agents.join(", "), max: 40 },
        { header: "STATUS", value: (d) => d.status },
        { header: "TRIES", value: (d) => String(d.attempts), align: "right" },
        { header: "LAST ERROR", value: (d) => d.lastError ?? "", max: 60 },
      ]) : "No notifications sent yet."];
      const waiting = Object.entries(backlog);
      if (waiting.length) lines.push("", `Waiting to be sent: ${waiting.map(([c, n]) => `${c} ${n}`).join(", ")}`);
      process.stdout.write(lines.join("\n") + "\n");
      return EXIT.OK;
    }));

  withCommonOptions(
    program
      .command("notify-test")
      .description("Send a test message to every channel in NOTIFY_URLS / NOTIFY_URLS_FILE and say which answered"),
    { db: false },
  )
    .addHelpText("after", "\nExit codes: 0 every channel took it, 1 some did not, 2 bad config (no channel, a bad URL).")
    .action(action(async (opts: { json?: boolean }) => {
      const config = cliConfig();
      const channels = channelsFromConfig(config);
      if (channels.length === 0) throw new BgAgentsError("NO_CHANNELS", "No notification channel is configured. Set NOTIFY_URLS (or NOTIFY_URLS_FILE); see docs/notifications.md");
      const results = await sendTestMessage(channels, { host: hostname(), dashboardUrl: dashboardLink(config), secret: config.notifySecret, now: Date.now() });
      if (opts.json) printJson({ results });
      else process.stdout.write(results.map((r) => `${r.ok ? "[ ok ]" : "[FAIL]"} ${r.channel}${r.error ? `: ${r.error}` : ""}`).join("\n") + "\n");
      return results.every((r) => r.ok) ? EXIT.OK : EXIT.PROBLEMS;
    }));
}

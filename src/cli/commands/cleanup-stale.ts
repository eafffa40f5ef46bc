/**
 * `bg-agents cleanup-stale`: the seed's cleanup_stale_agents.py. Removes the records (with their
 * transitions and errors) of agents that are stale, stopped or failed and whose last heartbeat is
 * older than --older-than; --dry-run lists them and deletes nothing. Agents the running supervisor
 * runs are kept (it restarts them, and `bg-agents restart` needs their records) and listed as kept.
 */
import type { Command } from "commander";
import { REVIVABLE_STATES, type AgentRecord } from "../../storage/index.js";
import { colourEnabled, painter, STATE_COLOURS } from "../format/colour.js";
import { printJson } from "../format/json.js";
import { renderTable } from "../format/table.js";
import { formatAge, formatDuration } from "../format/units.js";
import { action, cliConfig, durationArg, EXIT, openExistingStore, withCommonOptions, type DbOptions } from "../support/run.js";
import { readSupervisors, supervisedAgents } from "../../supervision/index.js";

interface CleanupFlags extends DbOptions {
  olderThan: number;
  dryRun?: boolean;
}

interface Removed {
  name: string;
  state: string | null;
  lastHeartbeat: string | null;
}

interface Kept extends Removed {
  reason: string;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("cleanup-stale")
      .description("Remove records of stale, stopped and failed agents (with their history)")
      .option("--older-than <duration>", "only agents whose last heartbeat is older than this (90s, 10m, 2h, 1d)", durationArg, 0)
      .option("--dry-run", "list what would be removed, delete nothing"),
  )
    .addHelpText("after", "\nLive agents (initializing, active, error, recovering) are never removed, nor are agents the running supervisor runs (listed as kept).\n" +
      "Exit codes: 0 done, 2 bad config or database.")
    .action(action(async (opts: CleanupFlags) => {
      const config = cliConfig({ databasePath: opts.db });
      const store = await openExistingStore(config);
      const now = Date.now();
      let removed: Removed[];
      let kept: Kept[];
      let supervisorPid: string | undefined;
      try {
        // details first: the records are gone after the real run
        const before = new Map<string, AgentRecord>();
        for (const a of await store.getRegisteredAgents({ states: [...REVIVABLE_STATES] })) before.set(a.name, a);
        const describe = (name: string): Removed => {
          const a = before.get(name);
          return { name, state: a?.state ?? null, lastHeartbeat: a ? new Date(a.lastHeartbeat).toISOString() : null };
        };
        const sups = (await readSupervisors(store, config)).filter((s) => s.running);
        const pidOf = (s: (typeof sups)[number] | undefined) => `${s?.pid ?? "?"}${s?.host ? ` on ${s.host}` : ""}`;
        supervisorPid = sups.length ? sups.map(pidOf).join(", ") : undefined;
        const reason = (name: string) => `supervised: the running supervisor (pid ${pidOf(sups.find((s) => s.agents.includes(name)))}) runs it; bg-agents restart restarts it`;
        const result = await store.cleanupStale({ olderThanMs: opts.olderThan, dryRun: opts.dryRun, keep: supervisedAgents(sups) });
        kept = result.kept.map((n) => ({ ...describe(n), reason: reason(n) }));
        removed = result.removed.map(describe);
      } finally {
        await store.close();
      }
      const cutoff = new Date(now - opts.olderThan).toISOString();
      if (opts.json) {
        printJson({ dryRun: opts.dryRun === true, olderThanMs: opts.olderThan, cutoff, count: removed.length, agents: removed, kept });
        return EXIT.OK;
      }
      const paint = painter(colourEnabled());
      const verb = opts.dryRun ? "Would remove" : "Removed";
      const scope = opts.olderThan > 0 ? ` with no heartbeat for ${formatDuration(opts.olderThan)}` : "";
      const lines = [`${verb} ${removed.length} stale/stopped/failed agent record(s)${scope}${opts.dryRun ? " (dry run: nothing deleted)" : ""}.`];
      if (removed.length) {
        lines.push("", renderTable(removed, [
          { header: "AGENT", value: (r) => r.name, max: 60 },
          { header: "STATE", value: (r) => (r.state ? paint(STATE_COLOURS[r.state as keyof typeof STATE_COLOURS] ?? "grey", r.state) : "?") },
          { header: "LAST HEARTBEAT", value: (r) => (r.lastHeartbeat ? formatAge(now - Date.parse(r.lastHeartbeat)) : "?") },
        ]));
      }
      if (kept.length) {
        lines.push("", `Kept ${kept.length} record(s) of supervised agents: the running supervisor (pid ${supervisorPid ?? "?"}) runs them ` +
          `(restart one with: bg-agents restart ${kept[0]!.name}).`, "");
        lines.push(renderTable(kept, [
          { header: "AGENT", value: (r) => r.name, max: 60 },
          { header: "STATE", value: (r) => (r.state ? paint(STATE_COLOURS[r.state as keyof typeof STATE_COLOURS] ?? "grey", r.state) : "?") },
          { header: "LAST HEARTBEAT", value: (r) => (r.lastHeartbeat ? formatAge(now - Date.parse(r.lastHeartbeat)) : "?") },
          { header: "KEPT BECAUSE", value: () => "supervised" },
        ]));
      }
      if (opts.dryRun && removed.length) lines.push("", "Run again without --dry-run to delete them.");
      process.stdout.write(lines.join("\n") + "\n");
      return EXIT.OK;
    }));
}

/**
 * `bg-agents restart [AGENT...] [--clean]`: the seed's "cleanup and restart". Asks the running
 * supervisor to restart the named agents (default: every agent it runs) through
 * `store.requestRestart`; `--clean` first removes the records of stale, stopped and failed agents
 * the supervisor does not run (with their history).
 */
import type { Command } from "commander";
import { SYSTEM_KEYS } from "../../storage/index.js";
import { InstanceLock, type SupervisorRecord } from "../../supervisor/index.js";
import { printJson } from "../format/json.js";
import { action, cliConfig, EXIT, openExistingStore, withCommonOptions, type DbOptions } from "../support/run.js";

interface RestartFlags extends DbOptions {
  clean?: boolean;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("restart")
      .argument("[agents...]", "agents to restart (default: every agent the supervisor runs)")
      .description("Clean up and restart: ask the running supervisor to restart agents")
      .option("--clean", "first remove records of stale/stopped/failed agents the supervisor does not run"),
  )
    .addHelpText("after", "\nExit codes: 0 requested, 1 no supervisor running (nothing restarted), 2 bad config, database or agent name.")
    .action(action(async (names: string[], opts: RestartFlags) => {
      const config = cliConfig({ databasePath: opts.db });
      const store = await openExistingStore(config);
      try {
        const running = InstanceLock.isHeld(config.databasePath);
        const record = await store.fleet.getSystemState<SupervisorRecord>(SYSTEM_KEYS.supervisor);
        const supervised = new Set(record?.agents ?? []);
        let removed: string[] = [];
        if (opts.clean) {
          const gone = await store.cleanupStale({ dryRun: true });
          removed = await store.fleet.removeAgents(gone.filter((n) => !supervised.has(n)));
        }
        const targets = names.length ? names : running ? [...supervised] : [];
        if (running) for (const name of targets) await store.requestRestart(name);
        if (opts.json) {
          printJson({ supervisorRunning: running, removed, restartRequested: running ? targets : [] });
        } else {
          const lines: string[] = [];
          if (opts.clean) lines.push(`Removed ${removed.length} stale/stopped/failed record(s)${removed.length ? `: ${removed.join(", ")}` : ""}.`);
          lines.push(running
            ? `Restart requested for ${targets.join(", ") || "no agent"}; the supervisor restarts them within a second (watch: bg-agents status).`
            : `No supervisor is running on ${config.databasePath}: nothing restarted. Start the fleet with: bg-agents start`);
          process.stdout.write(lines.join("\n") + "\n");
        }
        return running ? EXIT.OK : EXIT.PROBLEMS;
      } finally {
        await store.close();
      }
    }));
}

/**
 * `bg-agents restart [AGENT...] [--clean]`: the seed's "cleanup and restart". Asks the running
 * supervisor to restart the named agents (default: every agent it runs) through
 * `store.requestRestart`; `--clean` first removes the records of stale, stopped and failed agents
 * the supervisor does not run (with their history). Only agents the running supervisor runs can be
 * restarted (assertRestartable): a request for any other agent (one that pushes heartbeats or uses
 * AgentClient) would never be served, so it is refused and nothing is written; so is every
 * request when no supervisor runs (reported, exit 1). On PostgreSQL each host has its own
 * supervisor: the request is recorded for the agent and only the supervisor of its host serves it;
 * when that supervisor is gone the request is refused the same way (exit 1, nothing written).
 */
import type { Command } from "commander";
import { AgentNotFoundError } from "../../errors/index.js";
import { storageWhere, type AgentRecord } from "../../storage/index.js";
import { assertRestartable, isNoSupervisorError, isSupervisorGoneError, readSupervisors, supervisedAgents } from "../../supervision/index.js";
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
    .addHelpText("after", "\nOnly agents the running supervisor (bg-agents start) runs can be restarted; restart other agents where they run.\n" +
      "Exit codes: 0 requested, 1 no supervisor running, or (PostgreSQL) the agent's host supervisor is gone (nothing restarted or removed), " +
      "2 bad config, database or agent name (unknown, or not run by the supervisor: nothing requested).")
    .action(action(async (names: string[], opts: RestartFlags) => {
      const config = cliConfig({ databasePath: opts.db });
      const store = await openExistingStore(config);
      try {
        // check everything before writing anything: a refused request leaves the database as it was
        const named: AgentRecord[] = [];
        for (const name of new Set(names)) {
          const a = await store.getAgent(name);
          if (!a) throw new AgentNotFoundError(name);
          named.push(a);
        }
        const sups = await readSupervisors(store, config);
        let targets: string[];
        try {
          targets = assertRestartable(sups, named); // an agent the supervisor does not run: exit 2 with the error's advice
        } catch (e) {
          if (isSupervisorGoneError(e)) {
            if (opts.json) printJson({ supervisorRunning: false, error: e.code, message: e.message, removed: [], restartRequested: [] });
            else process.stdout.write(`${e.message}\n`);
            return EXIT.PROBLEMS;
          }
          if (!isNoSupervisorError(e)) throw e;
          if (opts.json) printJson({ supervisorRunning: false, removed: [], restartRequested: [] });
          else {
            process.stdout.write(`No supervisor is running on ${storageWhere(config)}: nothing restarted${opts.clean ? " or removed" : ""} ` +
              `(a restart request would never be served). Start the fleet with: bg-agents start\n`);
          }
          return EXIT.PROBLEMS;
        }
        const removed = opts.clean ? (await store.cleanupStale({ keep: supervisedAgents(sups) })).removed : [];
        for (const name of targets) await store.requestRestart(name);
        if (opts.json) {
          printJson({ supervisorRunning: true, removed, restartRequested: targets });
        } else {
          const lines: string[] = [];
          if (opts.clean) lines.push(`Removed ${removed.length} stale/stopped/failed record(s)${removed.length ? `: ${removed.join(", ")}` : ""}.`);
          lines.push(`Restart requested for ${targets.join(", ") || "no agent"}; the supervisor restarts them within a second (watch: bg-agents status).`);
          process.stdout.write(lines.join("\n") + "\n");
        }
        return EXIT.OK;
      } finally {
        await store.close();
      }
    }));
}

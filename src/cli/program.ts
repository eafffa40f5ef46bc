/**
 * The `bg-agents` commander program, built without parsing anything: src/cli/main.ts runs it, and
 * scripts/gen-cli-docs.ts renders every command's `--help` from it for docs/cli.md.
 */
import type { EventEmitter } from "node:events";
import { Command } from "commander";
import { VERSION } from "../version.js";
import { COMMANDS } from "./commands/index.js";
import { exitOnUsageError } from "./support/run.js";

/** Exit-code lines for commands whose own file does not add them (every `--help` ends with one). */
const EXIT_HELP: Record<string, string> = {
  dashboard: "\nExit codes: 0 stopped cleanly (Ctrl-C/SIGTERM), 2 bad flag, config or database, or the port in use, 3 internal error.",
};

export function buildProgram(): Command {
  const program = new Command("bg-agents")
    .description("Keeps a fleet of LangGraph background agents alive and honest")
    .version(VERSION)
    .showHelpAfterError()
    // before the commands are added: `.command()` copies both settings into every subcommand, so a
    // bad flag or unknown command exits 2 whichever way the command was built
    .exitOverride(exitOnUsageError);
  for (const register of COMMANDS) register(program);
  for (const cmd of program.commands) {
    const text = EXIT_HELP[cmd.name()];
    // (a commander Command is an EventEmitter; addHelpText("after") listens for "afterHelp")
    if (text && (cmd as unknown as EventEmitter).listenerCount("afterHelp") === 0) cmd.addHelpText("after", text);
  }
  return program;
}

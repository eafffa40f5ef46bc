/**
 * The `bg-agents` commander program, built without parsing anything: src/cli/main.ts runs it, and
 * scripts/gen-cli-docs.ts renders every command's `--help` from it for docs/cli.md.
 */
import { Command } from "commander";
import { VERSION } from "../version.js";
import { COMMANDS } from "./commands/index.js";
import { exitOnUsageError } from "./support/run.js";

export function buildProgram(): Command {
  const program = new Command("bg-agents")
    .description("Keeps a fleet of LangGraph background agents alive and honest")
    .version(VERSION)
    .showHelpAfterError()
    // before the commands are added: `.command()` copies both settings into every subcommand, so a
    // bad flag or unknown command exits 2 whichever way the command was built
    .exitOverride(exitOnUsageError);
  // each command ends its own --help with its exit codes
  for (const register of COMMANDS) register(program);
  return program;
}

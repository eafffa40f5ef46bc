/**
 * `bg-agents`: one commander program; each command lives in src/cli/commands/<name>.ts and
 * exports `register(program)`. Human output by default, `--json` for scripts.
 */
import { Command } from "commander";
import { loadDotEnv } from "../env-file.js";
import { VERSION } from "../version.js";
import { COMMANDS } from "./commands/index.js";

export function buildProgram(): Command {
  const program = new Command("bg-agents")
    .description("Keeps a fleet of LangGraph background agents alive and honest")
    .version(VERSION)
    .showHelpAfterError();
  for (const register of COMMANDS) register(program);
  return program;
}

loadDotEnv();
await buildProgram().parseAsync(process.argv);

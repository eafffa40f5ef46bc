/** Writes the generated `--help` block of docs/cli.md from the commander program itself. */
import { readFileSync, writeFileSync } from "node:fs";
import { CLI_PAGE, withCliHelp } from "../src/cli/help-docs.js";
import { buildProgram } from "../src/cli/program.js";

writeFileSync(CLI_PAGE, withCliHelp(readFileSync(CLI_PAGE, "utf8"), buildProgram()));
console.log(`${CLI_PAGE} --help of every command written`);

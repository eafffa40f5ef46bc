/**
 * The generated half of docs/cli.md: `bg-agents --help` and every command's `--help`, exactly as the
 * program prints them (commander's own help plus each command's exit-code lines), without colour and
 * at commander's width for a stdout that is not a terminal, so the page equals
 * `bg-agents <command> --help | cat` whatever terminal ran the generator.
 * `npm run docs:cli` writes it; test/cli/help-docs.test.ts fails when the page drifts from the code.
 */
import type { Command } from "commander";
import { withGeneratedBlock } from "../docs/generated-block.js";

/** The page the generated help lives in, relative to the repository root. */
export const CLI_PAGE = "docs/cli.md";
const HELP_WIDTH = 80;

/** What `<command> --help` prints, captured in-process. */
export function helpText(cmd: Command): string {
  let out = "";
  cmd.configureOutput({ writeOut: (s) => { out += s; }, getOutHelpWidth: () => HELP_WIDTH, getOutHasColors: () => false });
  cmd.outputHelp();
  return out.trimEnd();
}

export function cliHelpMarkdown(program: Command): string {
  const sections = [program, ...program.commands].map((cmd) => {
    const invocation = cmd === program ? program.name() : `${program.name()} ${cmd.name()}`;
    return [`### \`${invocation} --help\``, "", "```text", helpText(cmd), "```"].join("\n");
  });
  return sections.join("\n\n");
}

/** The CLI page with the generated help between its `cli-help` markers. */
export function withCliHelp(page: string, program: Command): string {
  return withGeneratedBlock(page, "cli-help", cliHelpMarkdown(program), CLI_PAGE);
}

/** docs/cli.md carries every command's --help as the program prints it (`npm run docs:cli`). */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLI_PAGE, helpText, withCliHelp } from "../../src/cli/help-docs.js";
import { buildProgram } from "../../src/cli/program.js";

describe("CLI docs", () => {
  it("docs/cli.md's generated help is current (run `npm run docs:cli`)", () => {
    const page = readFileSync(CLI_PAGE, "utf8");
    expect(withCliHelp(page, buildProgram())).toBe(page);
  });

  it("the page shows every command's options and exit codes", () => {
    const page = readFileSync(CLI_PAGE, "utf8");
    const program = buildProgram();
    for (const cmd of program.commands.filter((c) => c.name() !== "help")) {
      expect(page, cmd.name()).toContain(`### \`bg-agents ${cmd.name()} --help\``);
      for (const opt of cmd.options) expect(page, `${cmd.name()} ${opt.flags}`).toContain(opt.flags);
      expect(helpText(cmd), cmd.name()).toMatch(/^Exit codes: 0 /m);
    }
  });

  it("a changed description makes the page stale", () => {
    const page = readFileSync(CLI_PAGE, "utf8");
    const program = buildProgram();
    program.commands.find((c) => c.name() === "status")!.description("a description the page does not have");
    expect(withCliHelp(page, program)).not.toBe(page);
    expect(withCliHelp(page, program)).toContain("a description the page does not have");
  });
});

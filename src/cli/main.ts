/**
 * `bg-agents`: one commander program (src/cli/program.ts); each command lives in
 * src/cli/commands/<name>.ts, exports `register(program)` and ends its `--help` with its exit
 * codes. Human output by default, `--json` for scripts (not on the long-running `start` and
 * `monitor`, which only log). Exit codes: 0 ok, 1 problems found, 2 bad usage (any unknown command
 * or option, bad option value), config or database, 3 internal error.
 */
import { loadDotEnv } from "../env-file.js";
import { runMain } from "../process/index.js";
import { buildProgram } from "./program.js";

// every command's action exits the process itself (support/run.ts action()); this catches what escapes
await runMain(async () => {
  loadDotEnv();
  await buildProgram().parseAsync(process.argv);
});

/**
 * The one wrapper around every process entry: runs `main`, exits with the code it returns
 * (default 0), or prints the error that escaped it as one line and exits with its code (see
 * exit-codes.ts). Output is flushed first; the explicit exit ends whatever handle a library left open.
 */
import { describeFailure, EXIT, exitCodeFor } from "./exit-codes.js";

export interface RunMainOptions {
  /** Names the process at the start of the error line. @defaultValue "bg-agents" */
  label?: string;
}

export async function runMain(main: () => Promise<number | void>, opts: RunMainOptions = {}): Promise<never> {
  let code: number;
  try {
    code = (await main()) ?? EXIT.OK;
  } catch (e) {
    process.stderr.write(`${describeFailure(e, opts.label ?? "bg-agents")}\n`);
    code = exitCodeFor(e);
  }
  return exitFlushed(code);
}

/** Exits with `code` once stdout and stderr are written out. */
export async function exitFlushed(code: number): Promise<never> {
  await Promise.all([flush(process.stdout), flush(process.stderr)]);
  process.exit(code);
}

function flush(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => (stream.writableLength === 0 ? resolve() : stream.write("", () => resolve())));
}

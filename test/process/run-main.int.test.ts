/**
 * runMain, the wrapper of every process entry, as real processes: the exit code main returns,
 * or one line on stderr and the shared code for what escapes it (2 typed error, 3 internal error
 * with its stack), and an explicit exit whatever handle is left open.
 */
import { afterEach, describe, expect, it } from "vitest";
import { killChildren, spawnTs } from "../helpers/processes.js";

afterEach(() => killChildren());

async function runEntry(how: string) {
  const child = spawnTs("test/fixtures/run-main-entry.ts", { args: [how] });
  const { code } = await child.exited;
  return { code, stdout: child.stdout, stderr: child.stderr };
}

describe("runMain", () => {
  it("exits 0 when main returns nothing, even with a timer left running", async () => {
    expect(await runEntry("ok")).toEqual({ code: 0, stdout: "main ran (ok)\n", stderr: "" });
  });

  it("exits with the code main returns", async () => {
    expect(await runEntry("problems")).toMatchObject({ code: 1, stderr: "" });
  });

  it("prints a typed error as one line and exits 2", async () => {
    expect(await runEntry("typed")).toMatchObject({
      code: 2, stderr: "bg-agents probe: HEARTBEAT_INTERVAL=x is invalid: expected a number. Allowed: seconds > 0.\n",
    });
  });

  it("prints any other error as an internal error with its stack and exits 3", async () => {
    const r = await runEntry("bug");
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^bg-agents probe: internal error: TypeError: cannot read properties of undefined\n\s+at /);
  });
});

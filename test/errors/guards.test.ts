/**
 * The isX() guards hold across two copies of the errors module (a linked package, dist/ beside
 * src/), where `instanceof` does not; a foreign error that merely has the same name or a `code` is not ours.
 */
import { describe, expect, it } from "vitest";
import * as here from "../../src/errors/index.js";

type ErrorsModule = typeof here;

/** A second instance of the module: vite loads a module id with a query as a separate module. */
async function secondCopy(): Promise<ErrorsModule> {
  const id = "../../src/errors/index.ts?second-copy";
  return (await import(/* @vite-ignore */ id)) as ErrorsModule;
}

describe("error guards", () => {
  it("recognise errors made by another copy of the module, which instanceof does not", async () => {
    const other = await secondCopy();
    expect(other.ConfigError).not.toBe(here.ConfigError);
    const e = new other.ConfigError("DATABASE_PATH", "DATABASE_PATH is bad");
    expect(e instanceof here.ConfigError).toBe(false);
    expect(here.isConfigError(e)).toBe(true);
    expect(here.isBgAgentsError(e)).toBe(true);
    expect(here.isDatabaseError(e)).toBe(false);
    expect(here.isPortInUseError(new other.PortInUseError("127.0.0.1", 8501))).toBe(true);
    expect(other.isLockTimeoutError(new here.LockTimeoutError("/x.lock", 10, "pid 1"))).toBe(true);
  });

  it("tell the subclasses apart and reject look-alikes", () => {
    const notFound = new here.AgentNotFoundError("w1");
    expect([here.isAgentNotFoundError(notFound), here.isValidationError(notFound), here.isConfigError(notFound)]).toEqual([true, false, false]);
    const lookAlike = Object.assign(new Error("x"), { name: "ConfigError", code: "CONFIG_INVALID" });
    expect(here.isConfigError(lookAlike)).toBe(false);
    expect(here.isBgAgentsError(Object.assign(new Error("gone"), { code: "ENOENT" }))).toBe(false);
    for (const v of [undefined, null, "ConfigError", 42]) expect(here.isBgAgentsError(v)).toBe(false);
  });
});

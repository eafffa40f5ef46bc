/** The detection settings: defaults, accepted spellings, and a ConfigError naming the variable for bad values. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { isConfigError, type ConfigError } from "../../src/errors/index.js";

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (isConfigError(e)) return e;
    throw e;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("detection config", () => {
  it("defaults: adaptive, phi 8, checks at the heartbeat interval", () => {
    expect(loadConfig({})).toMatchObject({ detection: "adaptive", phiThreshold: 8, checkIntervalMs: 30_000 });
    expect(loadConfig({ HEARTBEAT_INTERVAL: "10", STALE_THRESHOLD: "40" }).checkIntervalMs).toBe(10_000);
  });

  it("accepts fixed/adaptive in any case, decimal phi and check seconds", () => {
    expect(loadConfig({ DETECTION: " Fixed " }).detection).toBe("fixed");
    expect(loadConfig({ DETECTION: "ADAPTIVE", PHI_THRESHOLD: "10.5", CHECK_INTERVAL: "0.5" })).toMatchObject({ detection: "adaptive", phiThreshold: 10.5, checkIntervalMs: 500 });
  });

  it.each([
    ["DETECTION", "smart"],
    ["PHI_THRESHOLD", "high"],
    ["PHI_THRESHOLD", "0.5"],
    ["PHI_THRESHOLD", "51"],
    ["CHECK_INTERVAL", "0"],
    ["CHECK_INTERVAL", "-1"],
    ["CHECK_INTERVAL", "soon"],
  ])("rejects %s=%j with a message naming the variable and what is allowed", (name, value) => {
    const e = configError({ [name]: value });
    expect(e.variable).toBe(name);
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.message).toContain(`${name}=${JSON.stringify(value)}`);
    expect(e.message).toMatch(/Allowed: .+/);
  });

  it("rejects a CHECK_INTERVAL not below STALE_THRESHOLD", () => {
    const e = configError({ CHECK_INTERVAL: "120" });
    expect(e.variable).toBe("CHECK_INTERVAL");
    expect(e.message).toContain("STALE_THRESHOLD=120");
    expect(loadConfig({ CHECK_INTERVAL: "119" }).checkIntervalMs).toBe(119_000);
  });
});

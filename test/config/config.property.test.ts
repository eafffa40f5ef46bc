/**
 * loadConfig() on any environment a machine can think of: every outcome is a Config or a
 * ConfigError naming one of our variables (whose message names it too), never another exception.
 * fast-check prints the seed and the shrunk counterexample on failure (re-run with { seed, path }).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig, VARIABLES } from "../../src/config/index.js";
import { ConfigError } from "../../src/errors/index.js";

const NAMES = VARIABLES.map((v) => v.env);

/** Values that look like what people type, and what they should not. */
const value = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }),
  fc.double().map(String),
  fc.integer().map(String),
  fc.constantFrom("0", "-1", "1e309", "NaN", "Infinity", " 30 ", "0x1f", "1_000", "", " ", "true", "WARNING", "debug", "127.0.0.1", "::", "a".repeat(200)),
  fc.nat({ max: 100_000 }).map((n) => `${n / 100}`),
);
const env = fc.dictionary(fc.oneof(fc.constantFrom(...NAMES), fc.string()), value, { maxKeys: 12 });

describe("loadConfig on arbitrary environments", () => {
  it("returns a Config or throws a ConfigError naming the variable, nothing else", () => {
    fc.assert(
      fc.property(env, (e) => {
        try {
          const c = loadConfig(e);
          expect(c.staleThresholdMs).toBeGreaterThan(c.heartbeatIntervalMs);
          expect(Number.isFinite(c.heartbeatIntervalMs) && c.heartbeatIntervalMs > 0).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          const ce = err as ConfigError;
          expect(NAMES).toContain(ce.variable);
          expect(ce.message).toContain(ce.variable);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a secret's value never appears in the error", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 15 }).filter((s) => s.trim().length > 0), (token) => {
        try {
          loadConfig({ API_TOKEN: token });
        } catch (err) {
          expect((err as ConfigError).variable).toBe("API_TOKEN");
          expect((err as Error).message).not.toContain(JSON.stringify(token));
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Config: the seed's defaults, decimals, and a clear ConfigError for every bad value or relation. */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { ConfigError, isConfigError } from "../../src/errors/index.js";

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (isConfigError(e)) return e;
    throw e;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe("loadConfig", () => {
  it("uses the seed's defaults when nothing is set", () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      agentName: "HeartbeatHealthAgent",
      heartbeatIntervalMs: 30_000,
      staleThresholdMs: 120_000,
      logLevel: "info",
      databasePath: "shared_state.db",
      lockTimeoutMs: 10_000,
      retryAttempts: 3,
      backoffFactor: 1.5,
    });
    expect(c.apiToken).toBeUndefined();
  });

  it("treats an empty variable as unset", () => {
    expect(loadConfig({ HEARTBEAT_INTERVAL: "" }).heartbeatIntervalMs).toBe(30_000);
  });

  it("accepts decimal seconds and Python-style log levels", () => {
    const c = loadConfig({ HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "1.25", LOCK_TIMEOUT: "0.5", LOG_LEVEL: "warning", BACKOFF_FACTOR: "2" });
    expect(c.heartbeatIntervalMs).toBe(200);
    expect(c.staleThresholdMs).toBe(1250);
    expect(c.lockTimeoutMs).toBe(500);
    expect(c.logLevel).toBe("warn");
    expect(c.backoffFactor).toBe(2);
    expect(loadConfig({ LOG_LEVEL: "DEBUG" }).logLevel).toBe("debug");
  });

  it("lets overrides (CLI flags) win over the environment", () => {
    expect(loadConfig({ DATABASE_PATH: "a.db" }, { databasePath: "b.db" }).databasePath).toBe("b.db");
  });

  const bad: [string, string][] = [
    ["HEARTBEAT_INTERVAL", "abc"],
    ["HEARTBEAT_INTERVAL", "0"],
    ["HEARTBEAT_INTERVAL", "-5"],
    ["STALE_THRESHOLD", "soon"],
    ["LOG_LEVEL", "LOUD"],
    ["LOCK_TIMEOUT", "-1"],
    ["RETRY_ATTEMPTS", "2.5"],
    ["RETRY_ATTEMPTS", "0"],
    ["BACKOFF_FACTOR", "0.5"],
    ["BACKOFF_FACTOR", "x"],
    ["CHECKPOINT_RETENTION", "1"],
    ["LOG_RETENTION_DAYS", "0"],
    ["DASHBOARD_PORT", "70000"],
    ["AGENT_NAME", "bad\nname"],
    ["LANGGRAPH_STUCK_AFTER", "0"],
    ["LANGGRAPH_POLL_INTERVAL", "often"],
  ];
  it.each(bad)("rejects %s=%j with a message naming the variable, the value and what is allowed", (name, value) => {
    const e = configError({ [name]: value });
    expect(e.variable).toBe(name);
    expect(e.code).toBe("CONFIG_INVALID");
    expect(e.message).toContain(`${name}=${JSON.stringify(value)}`);
    expect(e.message).toMatch(/Allowed: .+/);
  });

  it("hides the value of a secret", () => {
    const e = configError({ API_TOKEN: "short" });
    expect(e.variable).toBe("API_TOKEN");
    expect(e.message).not.toContain("short");
    expect(e.message).toContain("16+ characters");
  });

  it("reads the LangGraph watcher's settings, and refuses a LangGraph URL it could not use without echoing it", () => {
    expect(loadConfig({})).toMatchObject({ langgraphApiUrl: undefined, langgraphStuckAfterMs: 600_000, langgraphPollMs: 15_000 });
    expect(loadConfig({ LANGGRAPH_API_URL: "http://127.0.0.1:2024", LANGGRAPH_STUCK_AFTER: "90" })).toMatchObject({ langgraphApiUrl: "http://127.0.0.1:2024", langgraphStuckAfterMs: 90_000 });
    const notHttp = configError({ LANGGRAPH_API_URL: "ftp://host/x" });
    expect(notHttp.variable).toBe("LANGGRAPH_API_URL");
    expect(notHttp.message).toContain("expected an http(s) URL");
    const withPassword = configError({ LANGGRAPH_API_URL: "https://me:hunter2-secret@lg.example.com" });
    expect(withPassword.variable).toBe("LANGGRAPH_API_URL");
    expect(withPassword.message).toContain("LANGGRAPH_API_KEY");
    expect(withPassword.message).not.toContain("hunter2");
  });

  it.each([["30", "30"], ["30", "10"], ["0.5", "0.4"]])("rejects HEARTBEAT_INTERVAL=%s with STALE_THRESHOLD=%s (threshold must exceed interval)", (interval, threshold) => {
    const e = configError({ HEARTBEAT_INTERVAL: interval, STALE_THRESHOLD: threshold });
    expect(e.variable).toBe("STALE_THRESHOLD");
    expect(e.message).toContain(`STALE_THRESHOLD=${Number(threshold)}`);
    expect(e.message).toContain(`HEARTBEAT_INTERVAL=${Number(interval)}`);
    expect(e.message).toContain("Allowed:");
  });
});

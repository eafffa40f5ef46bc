/**
 * One place that turns the environment (and CLI flags) into a validated Config:
 * CLI flag > env var > default. A bad value throws a ConfigError naming the variable.
 */
import { ConfigError } from "../errors/index.js";
import { defaultHostName } from "./host-name.js";
import { VARIABLES, type Config } from "./schema.js";

export type ConfigOverrides = Partial<Config>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const out: Record<string, unknown> = {};
  for (const spec of VARIABLES) {
    if (overrides[spec.key] !== undefined) {
      out[spec.key] = overrides[spec.key];
      continue;
    }
    const raw = env[spec.env];
    const source = raw === undefined || raw === "" ? spec.default : raw;
    if (source === undefined) {
      out[spec.key] = undefined;
      continue;
    }
    const parsed = spec.schema.safeParse(source);
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? "invalid";
      const shown = spec.secret ? "(hidden)" : JSON.stringify(source);
      throw new ConfigError(spec.env, `${spec.env}=${shown} is invalid: ${why}. Allowed: ${spec.allowed}.`);
    }
    out[spec.key] = spec.toConfig ? spec.toConfig(parsed.data as never) : parsed.data;
  }
  out.hostName ??= defaultHostName();
  // CHECK_INTERVAL follows HEARTBEAT_INTERVAL unless set (the seed's cadence)
  out.checkIntervalMs ??= out.heartbeatIntervalMs;
  // late: a missed beat or two, well before stale
  out.lateAfterMs ??= Math.min(2 * (out.heartbeatIntervalMs as number), ((out.heartbeatIntervalMs as number) + (out.staleThresholdMs as number)) / 2);
  // a standby takes over after a few missed renewals, not after a whole stale threshold
  out.leaderLeaseMs ??= 3 * (out.heartbeatIntervalMs as number);
  const config = out as unknown as Config;
  checkRelations(config);
  return config;
}

function checkRelations(c: Config): void {
  if (c.staleThresholdMs <= c.heartbeatIntervalMs) {
    throw new ConfigError(
      "STALE_THRESHOLD",
      `STALE_THRESHOLD=${c.staleThresholdMs / 1000} is invalid: it must be greater than HEARTBEAT_INTERVAL=${c.heartbeatIntervalMs / 1000}, ` +
        `or every agent is marked stale between two heartbeats. Allowed: seconds > HEARTBEAT_INTERVAL (4x is a good start).`,
    );
  }
  if (c.lateAfterMs >= c.staleThresholdMs) {
    throw new ConfigError(
      "LATE_AFTER",
      `LATE_AFTER=${c.lateAfterMs / 1000} is invalid: it must be less than STALE_THRESHOLD=${c.staleThresholdMs / 1000}, ` +
        `or no agent is ever shown late before it is stale. Allowed: seconds > 0, less than STALE_THRESHOLD (unset = 2 × HEARTBEAT_INTERVAL).`,
    );
  }
  if (c.checkIntervalMs !== undefined && c.checkIntervalMs >= c.staleThresholdMs) {
    throw new ConfigError(
      "CHECK_INTERVAL",
      `CHECK_INTERVAL=${c.checkIntervalMs / 1000} is invalid: it must be less than STALE_THRESHOLD=${c.staleThresholdMs / 1000}, ` +
        `or a dead agent is found up to two thresholds late. Allowed: seconds > 0, less than STALE_THRESHOLD (unset = HEARTBEAT_INTERVAL).`,
    );
  }
}

/** The config with secrets removed, safe to log or store. */
export function redactConfig(c: Config): Record<string, unknown> {
  const out: Record<string, unknown> = { ...c };
  for (const spec of VARIABLES) if (spec.secret && out[spec.key] !== undefined) out[spec.key] = "(set)";
  return out;
}

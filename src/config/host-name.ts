/**
 * This host's name in the fleet: HOST_NAME, else the machine's. Also read here, without the rest of
 * the config, by code that runs inside a user's process (AgentClient, withHeartbeat) to stamp its
 * heartbeats; loadConfig validates the same variable.
 */
import { hostname } from "node:os";

export function defaultHostName(env: NodeJS.ProcessEnv = process.env): string {
  return env.HOST_NAME?.trim() || hostname();
}

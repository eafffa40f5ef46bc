/**
 * What `/healthz` says about the HeartbeatHealthAgent's record: healthy, starting (inside its
 * start-up grace: registered by the SystemInitializer and not run yet, or a new start of the
 * system that has not reached it yet) or unhealthy, each with a reason.
 */
import { LIVE_STATES, type AgentRecord } from "../storage/index.js";

export type MonitorHealth =
  | { status: "ok" }
  | { status: "starting" | "unhealthy"; reason: string };

export interface MonitorHealthInput {
  monitor: AgentRecord;
  now: number;
  staleThresholdMs: number;
  /** When the system (supervisor) last started, from system_state. */
  systemStartedAt?: number;
}

export function monitorHealth(i: MonitorHealthInput): MonitorHealth {
  const { monitor: m, now } = i;
  const secs = (ms: number) => `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
  const graceLeft = (since: number) => since <= now && now - since < i.staleThresholdMs;
  // the grace is STALE_THRESHOLD from the start that has not reached the monitor yet
  const startedSince = [
    m.pid === null ? m.registeredAt : undefined, // registered, never run by a process
    i.systemStartedAt !== undefined && i.systemStartedAt >= m.stateChangedAt ? i.systemStartedAt : undefined,
  ].find((t): t is number => t !== undefined && graceLeft(t));
  if (m.state === "initializing" && graceLeft(m.stateChangedAt)) {
    return { status: "starting", reason: `${m.name} is starting (initializing for ${secs(now - m.stateChangedAt)})` };
  }
  if (!LIVE_STATES.includes(m.state)) {
    return startedSince !== undefined
      ? { status: "starting", reason: `${m.name} is starting (the system started ${secs(now - startedSince)} ago; it has not registered yet)` }
      : { status: "unhealthy", reason: `${m.name} is ${m.state}` };
  }
  const ageMs = now - m.lastHeartbeat;
  if (ageMs > i.staleThresholdMs) return { status: "unhealthy", reason: `${m.name} has not heartbeaten for ${secs(ageMs)}` };
  return { status: "ok" };
}

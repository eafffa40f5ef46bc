/**
 * The restart-storm guard. Stale marks are evidence against an agent only when the monitor and
 * the database are healthy: if more than half of the agents went stale at once, if the monitor's
 * own heartbeat is late, or if the database is slow to take a write, suspect the monitor or the
 * database and restart nothing on stale evidence. Pure: everything is passed in, and the fleet
 * comes as counts so the supervisor never reads every agent row (a fleet may be large).
 */
import { COUNTED_STATES as COUNTED } from "../storage/index.js";

export interface FleetView {
  name: string;
  state: string;
  lastHeartbeat: number;
}

/** Agents other than the monitor (and those being restarted) that should be heartbeating. */
export interface FleetCounts {
  /** In a live state or stale. */
  counted: number;
  /** Marked stale. */
  stale: number;
  /** Marked stale, or live with a heartbeat older than silentAfterMs(). */
  silent: number;
}

export interface GuardInput {
  now: number;
  fleet: FleetCounts;
  monitor?: FleetView;
  /** The monitor is being restarted: its silence is expected. */
  monitorRestarting?: boolean;
  staleThresholdMs: number;
  /** How long the supervisor's current (or last) heartbeat write has taken. */
  dbWriteMs: number;
  /** The supervisor's own writes are refused (disk full, read-only, ...): the code it was refused with. */
  dbRefusing?: string;
}

export interface GuardVerdict {
  /** Why stale evidence is not trusted right now; undefined when it is. */
  suspect?: string;
  /** The monitor alone looks hung while the database answers: restart the monitor only. */
  monitorHung: boolean;
}

/** Live or stale: the agents the guard weighs (src/storage/states.ts). */
export const COUNTED_STATES: readonly string[] = COUNTED;

/**
 * Agents frozen together cross the threshold up to one interval apart, so an agent whose heartbeat
 * is older than max(threshold/2, 1.5 intervals) counts as going stale: "at once" must not depend
 * on when the monitor's sweep ran.
 */
export function silentAfterMs(staleThresholdMs: number, heartbeatIntervalMs: number): number {
  return Math.min(staleThresholdMs, Math.max(staleThresholdMs / 2, 1.5 * heartbeatIntervalMs));
}

/** Counts a list of agents (tests; small fleets). */
export function countFleet(agents: FleetView[], now: number, silentAfter: number, exclude: ReadonlySet<string> = new Set()): FleetCounts {
  const others = agents.filter((a) => COUNTED_STATES.includes(a.state) && !exclude.has(a.name));
  return {
    counted: others.length,
    stale: others.filter((a) => a.state === "stale").length,
    silent: others.filter((a) => a.state === "stale" || now - a.lastHeartbeat > silentAfter).length,
  };
}

export function assessFleet(i: GuardInput): GuardVerdict {
  const m = i.monitor;
  const monitorLagMs = m && COUNTED_STATES.includes(m.state) && !i.monitorRestarting ? i.now - m.lastHeartbeat : 0;
  const dbSlow = i.dbWriteMs > Math.max(250, i.staleThresholdMs / 2);
  const monitorLate = monitorLagMs > i.staleThresholdMs;
  const { counted, silent } = i.fleet;
  const reasons: string[] = [];
  if (i.dbRefusing) reasons.push(`the database refuses writes (${i.dbRefusing})`);
  if (dbSlow) reasons.push(`the database took ${Math.round(i.dbWriteMs)} ms (and counting) to take a write`);
  if (monitorLate) reasons.push(`the monitor's own heartbeat is ${(monitorLagMs / 1000).toFixed(1)}s old (its cycle ran late)`);
  if (counted >= 2 && silent > counted / 2) reasons.push(`${silent} of ${counted} agents went stale at once`);
  return {
    suspect: reasons.length ? `suspecting the monitor or the database, restarting nothing: ${reasons.join("; ")}` : undefined,
    monitorHung: monitorLate && !dbSlow && !i.dbRefusing && monitorLagMs > 2 * i.staleThresholdMs,
  };
}

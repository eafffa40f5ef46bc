/**
 * Runs one monitor over a simulated fleet: a check every `checkIntervalMs` (true time), each
 * judging every agent from its last stamp and its interval history, as the real sweep would
 * with the history stored in the agent's row. The history learns the agent's own monotonic
 * intervals (what the agent runtime measures between its writes), so the wall-clock jump reaches
 * only the ages the monitor computes, which is where the clock-jump guard acts.
 */
import {
  EMPTY_STATS, correctedAgeMs, observeClocks, phiOptions, recordInterval, staleAfter, startClockWatch,
  type ClockJumpState, type PhiOptions,
} from "../../src/intelligence/index.js";
import { wallAt, type FleetSpec, type SimAgent } from "./fleet.js";

export interface Mode {
  label: string;
  kind: "fixed" | "adaptive";
  clockGuard: boolean;
  phi?: Partial<PhiOptions>;
}

export interface MonitorSpec {
  checkIntervalMs: number;
  staleThresholdMs: number;
}

export interface Outcome {
  periodMs: number;
  dead: boolean;
  /** Dead agents: first stale verdict minus the last heartbeat write (null = never found). */
  latencyMs: number | null;
  /** Stale verdicts on an agent that was still alive (one per silence, however many checks saw it). */
  falseAlarms: number;
}

interface Checks {
  at: Float64Array;
  states: ClockJumpState[];
  hold: Uint8Array;
}

function checks(spec: FleetSpec, m: MonitorSpec): Checks {
  const n = Math.floor(spec.horizonMs / m.checkIntervalMs);
  const at = new Float64Array(n), hold = new Uint8Array(n), states: ClockJumpState[] = [];
  let s = startClockWatch(wallAt(spec, 0), 0);
  for (let k = 0; k < n; k++) {
    const t = (k + 1) * m.checkIntervalMs;
    const tick = observeClocks(s, wallAt(spec, t), t);
    s = tick.state;
    at[k] = t;
    states.push(s);
    hold[k] = tick.hold ? 1 : 0;
  }
  return { at, states, hold };
}

export function simulate(spec: FleetSpec, fleet: SimAgent[], m: MonitorSpec, mode: Mode): Outcome[] {
  const c = checks(spec, m);
  const o = phiOptions({ staleThresholdMs: m.staleThresholdMs, ...mode.phi });
  return fleet.map((a) => {
    const out: Outcome = { periodMs: a.periodMs, dead: a.diedAtMs !== null, latencyMs: null, falseAlarms: 0 };
    let i = -1, stats = EMPTY_STATS, bound = m.staleThresholdMs, alarmedBeat = -1;
    for (let k = 0; k < c.at.length; k++) {
      const now = c.at[k]!;
      while (i + 1 < a.writes.length && a.writes[i + 1]! <= now) {
        i++;
        if (i > 0) stats = recordInterval(stats, a.writes[i]! - a.writes[i - 1]!, { maxIntervalMs: m.staleThresholdMs });
        bound = mode.kind === "fixed" ? m.staleThresholdMs : staleAfter(stats, o).ms;
      }
      if (i < 0 || (mode.clockGuard && c.hold[k])) continue;
      const wall = wallAt(spec, now);
      const age = mode.clockGuard ? correctedAgeMs(c.states[k]!, a.stamps[i]!, wall) : wall - a.stamps[i]!;
      if (!(age > bound)) continue;
      const alive = !out.dead || i < a.writes.length - 1;
      if (alive) {
        if (alarmedBeat !== i) out.falseAlarms++;
        alarmedBeat = i;
      } else {
        out.latencyMs = now - a.writes[i]!;
        break;
      }
    }
    return out;
  });
}

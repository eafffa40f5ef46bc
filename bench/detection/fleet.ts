/**
 * A simulated fleet for the detection bench: each agent's heartbeat writes in true (monotonic)
 * time, and the wall-clock stamps the monitor sees. No real time passes.
 * An agent writes, then sleeps its period ×(1 ± jitter); a write is late by a heavy-tailed delay
 * (lock waits, fsync); an event-loop stall holds a due beat until the stall ends; a dead agent
 * writes no more; a forward jump of the host clock shifts every stamp written after it.
 */
import { rng } from "../lib/random.js";

export interface FleetSpec {
  seed: number;
  horizonMs: number;
  /** Agents per period. */
  periods: { periodMs: number; count: number }[];
  /** Uniform jitter of each sleep, as a share of the period (0.5 = ±50%). */
  jitter: number;
  /** Share of agents that die, at a random time in the second half of the horizon (leaving time to detect them). */
  deadShare: number;
  /** Share of agents with one event-loop stall of `stallMs`. */
  stallShare: number;
  stallMs: number;
  /** Write delay: Pareto(scale, shape), capped. */
  delay: { scaleMs: number; shape: number; capMs: number };
  /** A forward step of the host's wall clock (agents and monitor on one host, as with SQLite). */
  clockJump?: { atMs: number; byMs: number };
  /** Latest death, so every dead agent can still be detected within the horizon. */
  lastDeathBeforeEndMs: number;
}

export interface SimAgent {
  periodMs: number;
  /** True time of each heartbeat write, ascending. */
  writes: Float64Array;
  /** The wall-clock stamp of each write. */
  stamps: Float64Array;
  diedAtMs: number | null;
  stalled: boolean;
}

export function wallAt(spec: FleetSpec, trueMs: number): number {
  const j = spec.clockJump;
  return trueMs + (j && trueMs >= j.atMs ? j.byMs : 0);
}

export function buildFleet(spec: FleetSpec): SimAgent[] {
  const r = rng(spec.seed);
  const agents: SimAgent[] = [];
  for (const { periodMs, count } of spec.periods) {
    for (let i = 0; i < count; i++) {
      const dies = r.chance(spec.deadShare);
      const end = spec.horizonMs - spec.lastDeathBeforeEndMs;
      const diedAtMs = dies ? r.uniform(spec.horizonMs / 2, end) : null;
      const stalled = r.chance(spec.stallShare);
      const stallAt = stalled ? r.uniform(0, diedAtMs ?? spec.horizonMs) : -Infinity;
      const writes: number[] = [];
      let t = r.uniform(0, periodMs);
      const stop = diedAtMs ?? spec.horizonMs;
      while (t < stop) {
        writes.push(t);
        let due = t + periodMs * (1 + r.uniform(-spec.jitter, spec.jitter));
        if (due >= stallAt && due < stallAt + spec.stallMs) due = stallAt + spec.stallMs;
        t = due + Math.min(spec.delay.capMs, r.pareto(spec.delay.scaleMs, spec.delay.shape) - spec.delay.scaleMs);
      }
      const w = Float64Array.from(writes);
      agents.push({ periodMs, writes: w, stamps: w.map((x) => wallAt(spec, x)), diedAtMs, stalled });
    }
  }
  return agents;
}

/**
 * The phi accrual failure detector (Hayashibara et al. 2004) as Akka computes it, with this
 * project's decision rule on top:
 *
 *   phi(age) = -log10(P(a gap this long | alive)), the gap modelled as normal with the agent's
 *              own mean + acceptablePause and max(its std-dev, minStdDev);
 *   stale    ⇔ (enough history ∧ phi > phiThreshold ∧ age > floor) ∨ age > staleThreshold,
 *   floor    = min(staleThreshold, floorPeriods × mean).
 *
 * So the fixed rule is the upper bound in every case, and an agent with too little history is
 * judged by the fixed rule alone. Because phi grows with age, the rule reduces to one age per
 * agent (`staleAfterMs`): storable, indexable, and the same answer as evaluating phi at each check.
 */
import type { IntervalStats } from "./interval-stats.js";
import { phiOfZ, zForPhi } from "./normal-tail.js";

export interface PhiOptions {
  /** Suspicion level that marks an agent stale (Akka and Cassandra use 8: about one false call in 10^8 gaps). @defaultValue 8 */
  phiThreshold: number;
  /** Lower bound on the std-dev, so a very regular agent is not called dead for a few ms of delay. @defaultValue 200 ms */
  minStdDevMs: number;
  /** Added to the mean: a pause this long (GC, event-loop stall, lock wait) is still normal. @defaultValue 2 s */
  acceptablePauseMs: number;
  /** Never stale before this many of the agent's own mean periods. @defaultValue 2.5 */
  floorPeriods: number;
  /** Intervals needed before phi is trusted; fewer → the fixed rule. @defaultValue 5 */
  minSamples: number;
  /** STALE_THRESHOLD: the fixed rule, and the upper bound in adaptive mode. */
  staleThresholdMs: number;
}

export const PHI_DEFAULTS: Omit<PhiOptions, "staleThresholdMs"> = Object.freeze({
  phiThreshold: 8,
  minStdDevMs: 200,
  acceptablePauseMs: 2_000,
  floorPeriods: 2.5,
  minSamples: 5,
});

export function phiOptions(o: Partial<PhiOptions> & Pick<PhiOptions, "staleThresholdMs">): PhiOptions {
  return { ...PHI_DEFAULTS, ...o };
}

/** Why an agent is (or would become) stale at `staleAfterMs`. */
export type StaleRule = "fixed" | "phi" | "floor" | "cap";

export interface Judgement {
  stale: boolean;
  /** Suspicion level now (0 when the history is too short to say). */
  phi: number;
  /** The age at which this agent is stale (the deadline is lastHeartbeat + this). */
  staleAfterMs: number;
  /** Which bound set `staleAfterMs`: fixed (little history), phi, floor (phi crossed earlier), cap (STALE_THRESHOLD). */
  rule: StaleRule;
}

// one threshold per process in practice: remember the last inversion instead of redoing Newton per agent
let lastPhi = NaN, lastZ = NaN;
function zFor(phi: number): number {
  if (phi !== lastPhi) [lastPhi, lastZ] = [phi, zForPhi(phi)];
  return lastZ;
}

function spread(s: IntervalStats, o: PhiOptions): { mean: number; std: number } {
  return { mean: s.meanMs + o.acceptablePauseMs, std: Math.max(Math.sqrt(s.varianceMs2), o.minStdDevMs) };
}

export function hasEnoughHistory(s: IntervalStats, o: PhiOptions): boolean {
  return s.count >= o.minSamples && s.meanMs > 0;
}

/** phi for a heartbeat `ageMs` old; 0 with too little history. */
export function phi(s: IntervalStats, ageMs: number, o: PhiOptions): number {
  if (!hasEnoughHistory(s, o)) return 0;
  const { mean, std } = spread(s, o);
  return phiOfZ((Math.max(0, ageMs) - mean) / std);
}

/** The age at which the agent becomes stale, and which bound decided it. */
export function staleAfter(s: IntervalStats, o: PhiOptions): { ms: number; rule: StaleRule } {
  if (!hasEnoughHistory(s, o)) return { ms: o.staleThresholdMs, rule: "fixed" };
  const { mean, std } = spread(s, o);
  const phiAge = mean + zFor(o.phiThreshold) * std;
  const floor = Math.min(o.staleThresholdMs, o.floorPeriods * s.meanMs);
  if (phiAge >= o.staleThresholdMs) return { ms: o.staleThresholdMs, rule: "cap" };
  return phiAge > floor ? { ms: phiAge, rule: "phi" } : { ms: floor, rule: "floor" };
}

/** The decision for one agent whose last heartbeat is `ageMs` old. */
export function judge(s: IntervalStats, ageMs: number, o: PhiOptions): Judgement {
  const { ms, rule } = staleAfter(s, o);
  return { stale: ageMs > ms, phi: phi(s, ageMs, o), staleAfterMs: ms, rule };
}

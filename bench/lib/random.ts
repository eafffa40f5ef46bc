/** Seeded randomness for simulations (mulberry32, as test/helpers/random.ts), so a run can be replayed. */
export interface Rng {
  next(): number;
  uniform(lo: number, hi: number): number;
  /** Pareto with scale `xm` and shape `alpha` (heavy tail: P(X > x) = (xm/x)^alpha). */
  pareto(xm: number, alpha: number): number;
  chance(p: number): boolean;
}

export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    uniform: (lo, hi) => lo + (hi - lo) * next(),
    pareto: (xm, alpha) => xm / Math.pow(1 - next(), 1 / alpha),
    chance: (p) => next() < p,
  };
}

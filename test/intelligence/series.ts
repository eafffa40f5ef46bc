/** Synthetic signal series for the anomaly and trend tests (seeded, so a failure can be replayed). */
import { mulberry32 } from "../helpers/random.js";
import type { Sample } from "../../src/intelligence/index.js";

export const STEP_MS = 30_000;

/** n samples every STEP_MS of f(t) plus roughly normal noise of std-dev `noise`. */
export function series(seed: number, n: number, f: (t: number) => number, noise = 1): Sample[] {
  const rand = mulberry32(seed);
  const gauss = () => (rand() + rand() + rand() + rand() - 2) * Math.sqrt(3); // sum of 4 uniforms, std-dev 1
  return Array.from({ length: n }, (_, i) => {
    const t = (i + 1) * STEP_MS;
    return { t, x: f(t) + noise * gauss() };
  });
}

/** A GC sawtooth: rises by `amplitude` over `periodMs`, then drops back. */
export const sawtooth = (amplitude: number, periodMs: number, phaseMs = 0) => (t: number) => amplitude * (((t + phaseMs) % periodMs) / periodMs);

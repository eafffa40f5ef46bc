/**
 * Adaptive detection inside the heartbeat write: the same arithmetic as recordInterval() and
 * staleAfter() (src/intelligence), as SQL expressions over the row's old columns, so a heartbeat
 * stays one UPDATE (no read first, no extra round trip, expressible per row in a batched write).
 *
 * Columns (migrations sqlite 009, postgres 008): hb_count, hb_mean_ms, hb_var_ms2 (the EWMA
 * history of the gap between heartbeats) and stale_after_ms (the age at which the agent is stale;
 * NULL until a heartbeat computed it). No index orders agents by their deadline, which every
 * heartbeat would move: the adaptive sweep reads stale_after_ms from each live row (on SQLite from
 * the live index's entries, migration 013).
 */
import { PHI_DEFAULTS, zForPhi, type PhiOptions } from "../intelligence/index.js";

/** Weight of each new gap once warmed up (recordInterval's default). */
export const HISTORY_ALPHA = 0.05;

export interface DetectionParams {
  /** @defaultValue 8 */
  phiThreshold?: number;
  /** STALE_THRESHOLD: gaps longer than this are not learned, and the bound never exceeds it. @defaultValue 120 s */
  staleThresholdMs?: number;
}

export function phiOptionsOf(p: DetectionParams = {}): PhiOptions {
  return { ...PHI_DEFAULTS, phiThreshold: p.phiThreshold ?? PHI_DEFAULTS.phiThreshold, staleThresholdMs: p.staleThresholdMs ?? 120_000 };
}

export interface SqlDialect {
  max: string;
  min: string;
}
export const SQLITE_DIALECT: SqlDialect = { max: "max", min: "min" };
export const PG_DIALECT: SqlDialect = { max: "greatest", min: "least" };

/** A finite number as an SQL literal (config values are validated numbers; never user text). */
function lit(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`detection parameter must be finite, got ${n}`);
  return n.toFixed(6);
}

/**
 * `hb_count = …, hb_mean_ms = …, hb_var_ms2 = …, stale_after_ms = …` for a heartbeat at `now` (an
 * SQL expression) on a live agent. The gap since the last heartbeat is learned when 0 < gap <= cap.
 */
export function historySetSql(d: SqlDialect, now: string, p: DetectionParams = {}): string {
  const o = phiOptionsOf(p);
  const cap = lit(o.staleThresholdMs);
  const gap = `(${now} - last_heartbeat)`;
  const learn = `(${gap} > 0 AND ${gap} <= ${cap})`;
  const n1 = `(hb_count + 1)`;
  const w = `${d.max}(${lit(HISTORY_ALPHA)}, 1.0 / ${n1})`;
  const delta = `(${gap} - hb_mean_ms)`;
  const mean1 = `(hb_mean_ms + ${w} * ${delta})`;
  const var1 = `(CASE WHEN ${n1} = 1 THEN 0.0 ELSE (1.0 - ${w}) * (hb_var_ms2 + ${w} * ${delta} * ${delta}) END)`;
  const z = lit(zForPhi(o.phiThreshold));
  const phiAge = `(${mean1} + ${lit(o.acceptablePauseMs)} + ${z} * ${d.max}(sqrt(${var1}), ${lit(o.minStdDevMs)}))`;
  const floor = `${d.min}(${cap}, ${lit(o.floorPeriods)} * ${mean1})`;
  const bound = `(CASE WHEN ${n1} < ${o.minSamples} OR ${mean1} <= 0 THEN ${cap} ELSE ${d.min}(${cap}, ${d.max}(${floor}, ${phiAge})) END)`;
  return [
    `hb_count = CASE WHEN ${learn} THEN ${n1} ELSE hb_count END`,
    `hb_mean_ms = CASE WHEN ${learn} THEN ${mean1} ELSE hb_mean_ms END`,
    `hb_var_ms2 = CASE WHEN ${learn} THEN ${var1} ELSE hb_var_ms2 END`,
    `stale_after_ms = CASE WHEN ${learn} THEN ${bound} ELSE coalesce(stale_after_ms, ${cap}) END`,
  ].join(",\n        ");
}

/**
 * Which bound decided `stale_after_ms` (the words of the stale reason), as an SQL CASE. `cap` is
 * the sweeping monitor's STALE_THRESHOLD (an SQL expression).
 */
export function ruleSql(cap: string, p: DetectionParams = {}): string {
  const o = phiOptionsOf(p);
  return `(CASE WHEN stale_after_ms IS NULL OR hb_count < ${o.minSamples} THEN 'fixed'
      WHEN stale_after_ms >= ${cap} THEN 'cap'
      WHEN stale_after_ms <= ${lit(o.floorPeriods)} * hb_mean_ms + 0.001 THEN 'floor' ELSE 'phi' END)`;
}

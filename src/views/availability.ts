/**
 * Availability of one agent, computed from its state transitions alone (a pure function: the
 * caller reads the transitions, the silences and the monitor's own outages and hands them in).
 *
 * How time counts (docs/availability.md):
 * - up: the agent is `active`.
 * - down: stale, error, failed, recovering, and initializing when it follows one of those (a restart).
 * - not counted (neither up nor down): before the agent's first transition, while `stopped` (an
 *   operator stopped it on purpose), while `initializing` after registration or a stop, while a silence matching it was in force, and while the
 *   monitor (HeartbeatHealthAgent) itself was down: nobody was checking, so the recorded state is
 *   not evidence either way.
 * Uptime percent = up / (up + down) over each window; null when nothing in the window counted.
 * An outage is a maximal run of down states in the transitions (silences and monitor outages do
 * not split or shorten it: they only keep its time out of the percentages). MTTR is the mean length
 * of the outages that ended inside the window.
 */
import type { AgentState, Transition } from "../storage/index.js";

export interface Interval {
  start: number;
  end: number;
}

export type StripState = "up" | "down" | "silenced" | "unknown" | "none";

export interface StripBar {
  start: number;
  end: number;
  /** down if any down time counted in it, else up if any up time, else why nothing counted. */
  state: StripState;
  /** up / (up + down) in the bar, null when nothing counted. */
  upPercent: number | null;
}

export interface WindowFigures {
  windowMs: number;
  upMs: number;
  downMs: number;
  /** Rounded to 3 decimals; null when nothing in the window counted. */
  uptimePercent: number | null;
  /** Outages that overlap the window. */
  outages: number;
  /** Mean length of the outages that ended in the window; null when none did. */
  mttrMs: number | null;
}

export interface Outage {
  start: number;
  /** null while it lasts. */
  end: number | null;
  durationMs: number;
}

export interface Availability {
  windows: WindowFigures[];
  lastOutage: Outage | null;
  strip: StripBar[];
}

export interface AvailabilityInput {
  /** The agent's transitions, any order; earlier ones than the longest window are fine (they give the state at its start). */
  transitions: readonly Pick<Transition, "to" | "at">[];
  now: number;
  /** Times a silence matching the agent was in force. */
  silenced?: readonly Interval[];
  /** Times the monitor was down. */
  monitorDown?: readonly Interval[];
  /** @defaultValue 24 h, 7 d and 30 d */
  windowsMs?: readonly number[];
  /** @defaultValue 48 bars of 30 minutes (the last 24 h) */
  strip?: { bars: number; barMs: number };
}

export const HOUR_MS = 3_600_000;
export const DEFAULT_WINDOWS_MS = [24 * HOUR_MS, 7 * 24 * HOUR_MS, 30 * 24 * HOUR_MS] as const;
export const DEFAULT_STRIP = { bars: 48, barMs: HOUR_MS / 2 } as const;

type Kind = "up" | "down" | "excluded";

interface Segment extends Interval {
  kind: Kind;
}

/**
 * The state timeline: one segment per transition, the last one up to `now`. `initializing` after a
 * down state is part of the outage (a restart); after registration, a stop or while active it is
 * not counted (an agent starting up for the first time has not failed).
 */
function segments(transitions: AvailabilityInput["transitions"], now: number): Segment[] {
  const sorted = [...transitions].filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
  const out: Segment[] = [];
  let prev: Kind = "excluded";
  sorted.forEach((t, i) => {
    const kind: Kind = t.to === "active" ? "up" : t.to === "stopped" ? "excluded" : t.to === "initializing" && prev !== "down" ? "excluded" : "down";
    prev = kind;
    const end = sorted[i + 1]?.at ?? now;
    if (end > t.at) out.push({ start: t.at, end, kind });
  });
  return out;
}

/** Sorted, merged intervals. */
function merge(intervals: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const i of [...intervals].filter((x) => x.end > x.start).sort((a, b) => a.start - b.start)) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

const overlap = (a: Interval, b: Interval) => Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
const covered = (span: Interval, merged: readonly Interval[]) => merged.reduce((sum, m) => sum + overlap(span, m), 0);

interface Tally {
  up: number;
  down: number;
  silenced: number;
  unknown: number;
}

/** Up and down time in `span`, without the excluded time (monitor down first, then silenced). */
function tally(span: Interval, segs: readonly Segment[], monitorDown: Interval[], silenced: Interval[]): Tally {
  const t: Tally = { up: 0, down: 0, silenced: 0, unknown: 0 };
  for (const s of segs) {
    const part = { start: Math.max(span.start, s.start), end: Math.min(span.end, s.end) };
    if (part.end <= part.start || s.kind === "excluded") continue;
    const unknown = covered(part, monitorDown);
    const silencedOnly = covered(part, merge([...monitorDown, ...silenced])) - unknown;
    const counted = part.end - part.start - unknown - silencedOnly;
    t.unknown += unknown;
    t.silenced += silencedOnly;
    t[s.kind] += counted;
  }
  return t;
}

function outages(segs: readonly Segment[], now: number): Outage[] {
  const out: Outage[] = [];
  let open: number | null = null;
  for (const s of segs) {
    if (s.kind === "down" && open === null) open = s.start;
    if (s.kind !== "down" && open !== null) {
      out.push({ start: open, end: s.start, durationMs: s.start - open });
      open = null;
    }
  }
  const last = segs[segs.length - 1];
  if (open !== null && last) out.push({ start: open, end: last.end === now ? null : last.end, durationMs: last.end - open });
  return out;
}

const percent = (t: Tally) => (t.up + t.down === 0 ? null : Math.round((t.up / (t.up + t.down)) * 100_000) / 1000);

export function computeAvailability(input: AvailabilityInput): Availability {
  const { now } = input;
  const segs = segments(input.transitions, now);
  const monitorDown = merge(input.monitorDown ?? []);
  const silenced = merge(input.silenced ?? []);
  const all = outages(segs, now);

  const windows = (input.windowsMs ?? DEFAULT_WINDOWS_MS).map((windowMs): WindowFigures => {
    const span = { start: now - windowMs, end: now };
    const t = tally(span, segs, monitorDown, silenced);
    const inWindow = all.filter((o) => (o.end ?? now) > span.start);
    const ended = inWindow.filter((o) => o.end !== null && o.end > span.start);
    return {
      windowMs,
      upMs: t.up,
      downMs: t.down,
      uptimePercent: percent(t),
      outages: inWindow.length,
      mttrMs: ended.length === 0 ? null : Math.round(ended.reduce((s, o) => s + o.durationMs, 0) / ended.length),
    };
  });

  const { bars, barMs } = input.strip ?? DEFAULT_STRIP;
  const strip = Array.from({ length: bars }, (_, i): StripBar => {
    const span = { start: now - (bars - i) * barMs, end: now - (bars - i - 1) * barMs };
    const t = tally(span, segs, monitorDown, silenced);
    const state: StripState = t.down > 0 ? "down" : t.up > 0 ? "up" : t.unknown > 0 ? "unknown" : t.silenced > 0 ? "silenced" : "none";
    return { ...span, state, upPercent: percent(t) };
  });

  return { windows, lastOutage: all[all.length - 1] ?? null, strip };
}

/**
 * The monitor's own outages from its transitions: the time it spent in a state other than
 * `active`, `initializing` or `recovering` (stale, error, failed, stopped: it was not sweeping).
 */
export function monitorOutages(transitions: readonly Pick<Transition, "to" | "at">[], now: number): Interval[] {
  const sweeping = (s: AgentState) => s === "active" || s === "initializing" || s === "recovering";
  const sorted = [...transitions].filter((t) => t.at <= now).sort((a, b) => a.at - b.at);
  return merge(sorted.flatMap((t, i) => (sweeping(t.to) ? [] : [{ start: t.at, end: sorted[i + 1]?.at ?? now }])));
}

/**
 * Reads what availability needs for a list of agents (their transitions over the longest window,
 * the silences then, the monitor's transitions) and gives each agent's figures as the JSON shape
 * the API, `status --json`, /metrics and the dashboard share.
 */
import picomatch from "picomatch";
import type { NotifyStore, Silence } from "../storage/notify-types.js";
import { SYSTEM_AGENTS, type AgentRecord, type ReadModel, type Transition } from "../storage/index.js";
import { computeAvailability, DEFAULT_STRIP, DEFAULT_WINDOWS_MS, monitorOutages, type Availability, type Interval, type StripState } from "./availability.js";
import { formatDuration } from "./agent-view.js";
import { isoTime } from "./iso-time.js";

export interface AvailabilitySources extends Pick<ReadModel, "getTransitions" | "getRegisteredAgents"> {
  notify: Pick<NotifyStore, "silencesOverlapping">;
}

export interface AvailabilityView {
  windows: {
    /** "24h", "7d", "30d" */
    window: string;
    windowMs: number;
    uptimePercent: number | null;
    upMs: number;
    downMs: number;
    outages: number;
    mttrMs: number | null;
  }[];
  lastOutage: { start: string; end: string | null; durationMs: number; durationText: string } | null;
  /** MTTR over the longest window. */
  mttrMs: number | null;
  strip: { start: string; barMs: number; bars: { state: StripState; upPercent: number | null }[] };
}

const PAGE = 5000;

/** Every transition since `since`, oldest first (paged: the store caps one read). */
async function transitionsSince(store: Pick<ReadModel, "getTransitions">, since: number, agent?: string): Promise<Transition[]> {
  const all: Transition[] = [];
  let from = since;
  let lastId = 0;
  for (;;) {
    const page = (await store.getTransitions({ ...(agent !== undefined && { agent }), since: from, limit: PAGE })).filter((t) => t.id > lastId);
    all.push(...page);
    if (page.length === 0 || page.length < PAGE - 1) return all;
    lastId = page[page.length - 1]!.id;
    from = page[page.length - 1]!.at;
  }
}

const windowLabel = (ms: number) => (ms % 86_400_000 === 0 && ms > 86_400_000 ? `${ms / 86_400_000}d` : `${Math.round(ms / 3_600_000)}h`);

export function toAvailabilityView(a: Availability): AvailabilityView {
  const first = a.strip[0];
  return {
    windows: a.windows.map((w) => ({ window: windowLabel(w.windowMs), ...w })),
    lastOutage: a.lastOutage && {
      start: isoTime(a.lastOutage.start),
      end: a.lastOutage.end === null ? null : isoTime(a.lastOutage.end),
      durationMs: a.lastOutage.durationMs,
      durationText: formatDuration(a.lastOutage.durationMs),
    },
    mttrMs: a.windows[a.windows.length - 1]?.mttrMs ?? null,
    strip: {
      start: isoTime(first?.start ?? 0),
      barMs: first ? first.end - first.start : 0,
      bars: a.strip.map((b) => ({ state: b.state, upPercent: b.upPercent })),
    },
  };
}

type AgentBasics = Pick<AgentRecord, "name" | "state" | "stateChangedAt">;

/**
 * The agent's timeline since `since`: its transitions there, preceded by the state it was in when
 * the window opened (the first one's `from`, or its current state when nothing changed since).
 */
function timeline(agent: AgentBasics, own: Transition[], since: number): Pick<Transition, "to" | "at">[] {
  const first = own[0];
  if (!first) return agent.stateChangedAt <= since ? [{ to: agent.state, at: since }] : [{ to: agent.state, at: agent.stateChangedAt }];
  return first.from !== null && first.at > since ? [{ to: first.from, at: since }, ...own] : own;
}

const silenceMatches = (s: Silence, name: string) => s.pattern === name || picomatch.isMatch(name, s.pattern);

/** The HeartbeatHealthAgent: one per database on SQLite, one per host (`…@<host>`, one leading) on PostgreSQL. */
const isMonitorName = (name: string) => name === SYSTEM_AGENTS.monitor || name.startsWith(`${SYSTEM_AGENTS.monitor}@`);

/**
 * When no monitor was sweeping: the intersection of every monitor's outages (with several, one
 * that is up is enough). `all` is every transition since `since` when the caller has read them.
 */
async function nobodyChecking(store: AvailabilitySources, since: number, now: number, all?: Transition[]): Promise<Interval[]> {
  const monitors = (await store.getRegisteredAgents({ nameContains: SYSTEM_AGENTS.monitor })).filter((a) => isMonitorName(a.name));
  if (monitors.length === 0) return [];
  const outages = await Promise.all(monitors.map(async (m) => {
    const own = all ? all.filter((t) => t.agent === m.name) : await transitionsSince(store, since, m.name);
    return monitorOutages(timeline(m, own, since), now);
  }));
  return outages.reduce(intersect);
}

/** The parts of time in both lists (each sorted, non-overlapping). */
function intersect(a: Interval[], b: Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const start = Math.max(x.start, y.start);
      const end = Math.min(x.end, y.end);
      if (start < end) out.push({ start, end });
    }
  }
  return out;
}

export async function readAvailability(store: AvailabilitySources, agents: readonly AgentBasics[], now: number): Promise<Map<string, AvailabilityView>> {
  const longest = Math.max(...DEFAULT_WINDOWS_MS);
  const since = now - longest;
  const wanted = new Set(agents.map((a) => a.name));
  const transitions = agents.length === 1 ? await transitionsSince(store, since, agents[0]!.name) : await transitionsSince(store, since);
  const byAgent = new Map<string, Transition[]>();
  for (const t of transitions) {
    if (!wanted.has(t.agent)) continue;
    const list = byAgent.get(t.agent);
    if (list) list.push(t);
    else byAgent.set(t.agent, [t]);
  }
  const monitorDown = await nobodyChecking(store, since, now, agents.length === 1 ? undefined : transitions);
  const silences = await store.notify.silencesOverlapping(since, now);

  const out = new Map<string, AvailabilityView>();
  for (const a of agents) {
    const silenced: Interval[] = silences.filter((s) => silenceMatches(s, a.name)).map((s) => ({ start: s.createdAt, end: s.until }));
    const figures = computeAvailability({
      transitions: timeline(a, byAgent.get(a.name) ?? [], since),
      now,
      silenced,
      // the monitor's own figures are not blanked out by its own outage
      monitorDown: isMonitorName(a.name) ? [] : monitorDown,
      windowsMs: DEFAULT_WINDOWS_MS,
      strip: DEFAULT_STRIP,
    });
    out.set(a.name, toAvailabilityView(figures));
  }
  return out;
}

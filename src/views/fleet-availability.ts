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

export interface AvailabilitySources extends Pick<ReadModel, "getTransitions"> {
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
  const monitorTransitions = wanted.has(SYSTEM_AGENTS.monitor) && agents.length === 1
    ? byAgent.get(SYSTEM_AGENTS.monitor) ?? []
    : agents.length === 1 ? await transitionsSince(store, since, SYSTEM_AGENTS.monitor) : transitions.filter((t) => t.agent === SYSTEM_AGENTS.monitor);
  const m0 = monitorTransitions[0];
  const monitorDown = monitorOutages(m0?.from ? [{ to: m0.from, at: since }, ...monitorTransitions] : monitorTransitions, now);
  const silences = await store.notify.silencesOverlapping(since, now);

  const out = new Map<string, AvailabilityView>();
  for (const a of agents) {
    const silenced: Interval[] = silences.filter((s) => silenceMatches(s, a.name)).map((s) => ({ start: s.createdAt, end: s.until }));
    const figures = computeAvailability({
      transitions: timeline(a, byAgent.get(a.name) ?? [], since),
      now,
      silenced,
      // the monitor's own figures are not blanked out by its own outage
      monitorDown: a.name === SYSTEM_AGENTS.monitor ? [] : monitorDown,
      windowsMs: DEFAULT_WINDOWS_MS,
      strip: DEFAULT_STRIP,
    });
    out.set(a.name, toAvailabilityView(figures));
  }
  return out;
}

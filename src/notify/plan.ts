/**
 * Turns the transition feed into notifications: one message per kind of event for transitions
 * that arrive together (a storm is one message naming every agent), a single "flapping" message
 * for an agent that keeps changing and a summary when it settles, nothing for silenced agents.
 * Pure: the caller stores `PlanState` with the feed cursor, so a restart plans the same messages.
 */
import type { Transition } from "../storage/index.js";
import type { NotifiedChange, Notification, NotifyEvent } from "./types.js";

export interface PlanOptions {
  now: number;
  host: string;
  dashboardUrl?: string;
  /** Transitions younger than this wait for others to join their message. */
  groupWindowMs: number;
  /** Changes between down and up within this window count towards flapping. */
  flapWindowMs: number;
  /** This many changes within the window make an agent flapping. */
  flapCount: number;
  isSilenced(agent: string, at: number): boolean;
  /** Said in every stale message when set (the storm guard suspects the database or the monitor). */
  suspicion?: string;
}

export interface FlapState {
  /** Times of the agent's recent down/up changes. */
  changes: number[];
  flapping: boolean;
  /** The id of the last transition seen for it (keys the settle message). */
  lastId: number;
  lastState: string;
}

export interface PlanState {
  /** Agents we said were down (stale, failed, error) and have not said are back. */
  down: string[];
  flaps: Record<string, FlapState>;
  /** The last anomaly event planned (src/notify/anomaly-news.ts); absent until the feed was first read. */
  anomalyCursor?: number;
}

export const emptyPlanState = (): PlanState => ({ down: [], flaps: {} });

export interface Plan {
  notifications: Notification[];
  /** The id of the last transition planned; the feed cursor moves here. */
  through: number;
  state: PlanState;
}

const DOWN = new Set(["stale", "failed", "error"]);

/** What a transition means to a person, or null for bookkeeping (initializing, recovering, stopped). */
function eventOf(t: Transition, wasDown: boolean): NotifyEvent | null {
  if (t.to === "stale" || t.to === "failed" || t.to === "error") return t.to;
  if (t.to === "active" && wasDown) return "recovered";
  return null;
}

export function plan(transitions: readonly Transition[], cursor: number, prev: PlanState, o: PlanOptions): Plan {
  const down = new Set(prev.down);
  const flaps: Record<string, FlapState> = structuredClone(prev.flaps);
  const groups = new Map<NotifyEvent, NotifiedChange[]>();
  const extra: Notification[] = [];
  let through = cursor;
  for (const t of transitions) {
    if (t.at > o.now - o.groupWindowMs) break;
    through = t.id;
    const event = eventOf(t, down.has(t.agent));
    if (event === null) continue;
    const silenced = o.isSilenced(t.agent, t.at);
    // a down nobody was told of is not followed by "recovered"
    if (event === "recovered") down.delete(t.agent);
    else if (!silenced) down.add(t.agent);
    if (event === "stale" || event === "recovered") {
      const f = (flaps[t.agent] ??= { changes: [], flapping: false, lastId: t.id, lastState: t.to });
      f.changes = [...f.changes.filter((at) => at > t.at - o.flapWindowMs), t.at];
      f.lastId = t.id;
      f.lastState = t.to;
      if (f.flapping) continue;
      if (f.changes.length >= o.flapCount) {
        f.flapping = true;
        if (!silenced) extra.push(flappingStarted(t, f, o));
        continue;
      }
    }
    if (silenced) continue;
    const change: NotifiedChange = { agent: t.agent, from: t.from, to: t.to, reason: t.reason, at: t.at, transitionId: t.id };
    groups.set(event, [...(groups.get(event) ?? []), change]);
  }
  for (const [agent, f] of Object.entries(flaps)) {
    const quietSince = f.changes.at(-1) ?? 0;
    if (quietSince > o.now - o.flapWindowMs) continue;
    if (f.flapping && !o.isSilenced(agent, o.now)) extra.push(settled(agent, f, o));
    delete flaps[agent];
  }
  const notifications = [...[...groups].map(([event, changes]) => grouped(event, changes, o)), ...extra];
  return { notifications, through, state: { ...prev, down: [...down].sort(), flaps } };
}

const WORDS: Record<string, [string, string]> = {
  stale: ["is stale", "agents stale"],
  failed: ["failed", "agents failed"],
  error: ["reported an error", "agents in error"],
  recovered: ["recovered", "agents recovered"],
};

function grouped(event: NotifyEvent, changes: NotifiedChange[], o: PlanOptions): Notification {
  const [one, many] = WORDS[event] ?? [event, `agents: ${event}`];
  const names = changes.map((c) => c.agent);
  const title = changes.length === 1 ? `${names[0]} ${one}` : `${changes.length} ${many}: ${names.join(", ")}`;
  const detail = changes.map((c) => `${c.agent}: ${c.from ?? "new"} → ${c.to}${c.reason ? ` (${c.reason})` : ""}`);
  if (event === "stale" && o.suspicion) detail.unshift(o.suspicion);
  const ids = changes.map((c) => c.transitionId ?? 0);
  return { key: `bg-${event}-${Math.min(...ids)}-${Math.max(...ids)}`, event, title, detail, changes, agents: names, at: o.now, host: o.host, dashboardUrl: o.dashboardUrl };
}

/**
 * The message for a channel that wants only some agents: the changes of the others taken out and
 * the text made again (null when none is left). Messages without changes (settled, monitor) pass whole.
 */
export function narrow(n: Notification, keep: (agent: string) => boolean, suspicion?: string): Notification | null {
  if (!n.agents.some(keep)) return null;
  if (n.changes.length === 0 || n.changes.every((c) => keep(c.agent))) return n;
  if (n.event === "flapping") return n;
  return grouped(n.event, n.changes.filter((c) => keep(c.agent)), { now: n.at, host: n.host, dashboardUrl: n.dashboardUrl, suspicion } as PlanOptions);
}

function flappingStarted(t: Transition, f: FlapState, o: PlanOptions): Notification {
  const minutes = Math.round(o.flapWindowMs / 60_000);
  return {
    key: `bg-flapping-${t.agent}-${t.id}`,
    event: "flapping",
    title: `${t.agent} is flapping: ${f.changes.length} changes between down and up within ${minutes} min`,
    detail: [`Further changes of ${t.agent} are held back until it has been steady for ${minutes} min; then one summary follows.`],
    changes: [{ agent: t.agent, from: t.from, to: t.to, reason: t.reason, at: t.at, transitionId: t.id }],
    agents: [t.agent],
    at: o.now,
    host: o.host,
    dashboardUrl: o.dashboardUrl,
  };
}

function settled(agent: string, f: FlapState, o: PlanOptions): Notification {
  return {
    key: `bg-settled-${agent}-${f.lastId}`,
    event: "flapping",
    title: `${agent} settled: ${f.lastState} since ${new Date(f.changes.at(-1) ?? o.now).toISOString()}`,
    detail: [`${f.changes.length} changes in the last flapping window; steady since.`],
    changes: [],
    agents: [agent],
    at: o.now,
    host: o.host,
    dashboardUrl: o.dashboardUrl,
  };
}

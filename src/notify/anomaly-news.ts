/**
 * Anomaly starts and ends (the monitor's feed, src/agents/heartbeat/signal-watch.ts) turned into
 * notifications of event `anomaly`: the events that arrive together are one message per kind, as
 * the transitions are; silenced agents are left out. Pure: the cursor lives in the plan state.
 */
import type { AnomalyEvent } from "../storage/index.js";
import type { Notification } from "./types.js";

export interface AnomalyPlanOptions {
  now: number;
  host: string;
  dashboardUrl?: string;
  /** Events younger than this wait for others to join their message. */
  groupWindowMs: number;
  isSilenced(agent: string, at: number): boolean;
}

export function planAnomalies(events: readonly AnomalyEvent[], cursor: number, o: AnomalyPlanOptions): { notifications: Notification[]; through: number } {
  let through = cursor;
  const started: AnomalyEvent[] = [], ended: AnomalyEvent[] = [];
  for (const e of events) {
    if (e.at > o.now - o.groupWindowMs) break;
    through = e.id;
    if (o.isSilenced(e.agent, e.at)) continue;
    (e.kind === "started" ? started : ended).push(e);
  }
  const notifications = [message(started, "started", o), message(ended, "ended", o)].filter((n): n is Notification => n !== null);
  return { notifications, through };
}

function message(events: AnomalyEvent[], kind: "started" | "ended", o: AnomalyPlanOptions): Notification | null {
  if (events.length === 0) return null;
  const agents = [...new Set(events.map((e) => e.agent))];
  const one = events.length === 1 ? events[0]! : undefined;
  const title = kind === "started"
    ? (one ? `${one.agent}: anomaly: ${one.text}` : `${events.length} anomalies: ${events.map((e) => `${e.agent} (${e.text})`).join(", ")}`)
    : (one ? `${one.agent}: ${one.text}` : `${events.length} anomalies over: ${agents.join(", ")}`);
  const ids = events.map((e) => e.id);
  return {
    key: `bg-anomaly-${kind}-${Math.min(...ids)}-${Math.max(...ids)}`,
    event: "anomaly",
    title,
    detail: events.map((e) => `${e.agent}: ${e.text} (since ${new Date(e.at).toISOString()})`),
    changes: [],
    agents,
    at: o.now,
    host: o.host,
    dashboardUrl: o.dashboardUrl,
  };
}

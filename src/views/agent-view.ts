/**
 * The one JSON shape of an agent that `GET /api/agents`, `bg-agents status --json` and the
 * dashboard all use. Times are ISO strings plus ages in ms, so clients need no clock math.
 */
import { STATE_LABELS, isLiveState, type AgentActivity, type AgentRecord, type AgentState, type StoreSummary } from "../storage/index.js";
import { isoTime as iso } from "./iso-time.js";

export interface AgentView {
  name: string;
  state: AgentState;
  /** How the state is worded for people ("Inactive (stale)"). */
  stateLabel: string;
  stateReason: string | null;
  stateChangedAt: string;
  pid: number | null;
  host: string | null;
  version: string | null;
  registeredAt: string;
  startedAt: string;
  /** ms the current run has been up (0 when stopped/failed/stale). */
  uptime: number;
  uptimeText: string;
  lastHeartbeat: string;
  lastHeartbeatAgeMs: number;
  heartbeats: number;
  heartbeatLatencyMs: number | null;
  rssBytes: number | null;
  cpuPercent: number | null;
  eventLoopLagMs: number | null;
  restarts: number;
  restartRequested: boolean;
  errorCount: number;
  lastError: string | null;
  lastErrorAt: string | null;
  /**
   * Live, but its last heartbeat is older than LATE_AFTER: a beat was missed and it may go stale
   * (amber in the dashboard). Derived at read time, not a stored state.
   */
  late: boolean;
  /** What a withHeartbeat graph is doing (null for other agents). */
  activity: AgentActivity | null;
}

export interface ViewOptions {
  /** LATE_AFTER in ms. @defaultValue never late */
  lateAfterMs?: number;
}


/** "2h 15m", "3m 4s", "12s": the seed's uptime style. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s % 60}s`;
  return `${s}s`;
}

export function toAgentView(a: AgentRecord, now: number, opts: ViewOptions = {}): AgentView {
  const uptime = isLiveState(a.state) ? Math.max(0, now - a.startedAt) : 0;
  return {
    name: a.name,
    state: a.state,
    stateLabel: STATE_LABELS[a.state],
    stateReason: a.stateReason,
    stateChangedAt: iso(a.stateChangedAt),
    pid: a.pid,
    host: a.host,
    version: a.version,
    registeredAt: iso(a.registeredAt),
    startedAt: iso(a.startedAt),
    uptime,
    uptimeText: formatDuration(uptime),
    lastHeartbeat: iso(a.lastHeartbeat),
    lastHeartbeatAgeMs: Math.max(0, now - a.lastHeartbeat),
    heartbeats: a.heartbeats,
    heartbeatLatencyMs: a.heartbeatLatencyMs,
    rssBytes: a.rssBytes,
    cpuPercent: a.cpuPercent,
    eventLoopLagMs: a.eventLoopLagMs,
    restarts: a.restarts,
    restartRequested: a.restartRequestedAt !== null,
    errorCount: a.errorCount,
    lastError: a.lastError,
    lastErrorAt: a.lastErrorAt === null ? null : iso(a.lastErrorAt),
    late: isLiveState(a.state) && now - a.lastHeartbeat > (opts.lateAfterMs ?? Infinity),
    activity: a.activity,
  };
}

export interface SummaryView extends StoreSummary {
  active: number;
  /** "Active agents: 3/3" */
  line: string;
}

export function toSummaryView(s: StoreSummary): SummaryView {
  const active = s.byState.active;
  return { ...s, active, line: `Active agents: ${active}/${s.total}` };
}

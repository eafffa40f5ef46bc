/**
 * One ping, from either protocol, onto the store and lifecycle every heartbeat uses: a start,
 * success or fail stamps the heartbeat (so a start whose end never comes goes stale by the usual
 * sweep, STALE_THRESHOLD after the start); a log only keeps its message. A fail records the error
 * and moves the agent to `error`; a success brings an initializing/error/recovering agent to `active`.
 */
import { LIVE_NOT_ACTIVE_STATES, type AgentWriter, type PingKind, type PingRecord } from "../../storage/index.js";

export interface PingEvent {
  name: string;
  kind: PingKind;
  rid?: string;
  message?: string;
  exitStatus?: number;
  /** Uptime Kuma's `ping`: how long the sender's own check took, in ms. */
  latencyMs?: number;
  /** Register an unknown name (healthchecks.io's `?create=1`; a configured push token). */
  create: boolean;
  /** "ping" or "push": how the state reason names the source. */
  via: string;
}

export type PingOutcome = { found: false } | { found: true; created: boolean; record: PingRecord };

/** What a failure says: the exit status and the first line of the message, if any. */
function failureText(ev: PingEvent): string {
  const what = ev.exitStatus !== undefined ? `exit status ${ev.exitStatus}` : "fail";
  const first = ev.message?.split("\n").find((l) => l.trim())?.trim();
  return `${ev.via}: ${what}${first ? `: ${first}` : ""}`;
}

export async function applyPing(store: AgentWriter, ev: PingEvent): Promise<PingOutcome> {
  const existing = await store.getAgent(ev.name);
  if (!existing && !ev.create) return { found: false };
  if (ev.kind !== "log" || !existing) await store.updateHeartbeat(ev.name, ev.latencyMs === undefined ? undefined : { writeLatencyMs: ev.latencyMs });
  const record = await store.recordPing(ev.name, { kind: ev.kind, rid: ev.rid, message: ev.message, exitStatus: ev.exitStatus });
  if (ev.kind === "fail") {
    const text = failureText(ev);
    await store.recordError(ev.name, ev.message ? `${text}\n${ev.message}` : text);
    await store.updateAgentState(ev.name, "error", text.slice(0, 200));
  } else if (ev.kind === "success") {
    const current = await store.getAgent(ev.name);
    if (current && LIVE_NOT_ACTIVE_STATES.includes(current.state)) await store.updateAgentState(ev.name, "active", `${ev.via}: ok`);
  }
  return { found: true, created: !existing, record };
}

/**
 * Stale marks turned into restarts: an agent of ours the monitor marked stale is killed (its exit
 * handler restarts it), unless a silence with --hold-restarts holds it (logged once while it does).
 * Only a child that registered itself (same pid) and had a STALE_THRESHOLD to start is judged.
 */
import type { Logger } from "../logging/index.js";
import type { AgentRecord, Silence } from "../storage/index.js";
import type { AgentChild } from "./child.js";
import { restartHold } from "./holds.js";

export interface StaleRestartInput {
  now: number;
  own: ReadonlyMap<string, AgentRecord>;
  children: ReadonlyMap<string, AgentChild>;
  staleThresholdMs: number;
  /** Read only when an agent is stale. */
  activeSilences: () => Promise<Silence[]>;
  /** Stale agents left alone because a silence holds them; kept between ticks so each is logged once. */
  held: Set<string>;
  log: Logger;
  restart: (name: string, why: string) => void;
}

export async function restartStaleAgents(i: StaleRestartInput): Promise<void> {
  const stale = [...i.own].filter(([, a]) => a.state === "stale");
  const silences = stale.length ? await i.activeSilences() : [];
  for (const [name, a] of stale) {
    const child = i.children.get(name);
    if (!child || child.pid !== a.pid || i.now - child.startedAt < i.staleThresholdMs) continue;
    const hold = restartHold(name, silences);
    if (hold) {
      if (!i.held.has(name)) i.log.info(`${name} is stale, but silence ${hold.id} (${hold.pattern}) holds its restarts until ${new Date(hold.until).toISOString()}`);
      i.held.add(name);
      continue;
    }
    i.held.delete(name);
    i.restart(name, `stale: ${a.stateReason ?? "no heartbeat"}`);
  }
}

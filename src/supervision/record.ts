/**
 * The supervisor record: what the running (or the last) supervisor keeps in system_state under
 * SYSTEM_KEYS.supervisor. The supervisor writes it; the HTTP server, the CLI and the diagnostics
 * read it through parseSupervisorRecord (readSupervision for "is one running, what does it run").
 */
export interface SupervisorRecord {
  pid: number;
  host: string;
  startedAt: number;
  /** Every agent this supervisor runs (restart targets of `bg-agents restart`). */
  agents: string[];
  children: Array<{ name: string; pid: number }>;
  /**
   * The HeartbeatHealthAgent it runs, whose heartbeat /healthz and `bg-agents doctor` watch. The
   * supervisor names its monitor itself, whatever AGENT_NAME says. Absent when it runs no monitor.
   */
  monitor?: string;
}

/**
 * The record from a stored value, or undefined when there is none. Tolerant: the value may come
 * from a raw read of a damaged or older file, so fields of the wrong type are dropped, not trusted.
 */
export function parseSupervisorRecord(value: unknown): SupervisorRecord | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const num = (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? x : 0);
  const children = Array.isArray(v.children) ? v.children : [];
  return {
    pid: num(v.pid),
    host: typeof v.host === "string" ? v.host : "",
    startedAt: num(v.startedAt),
    agents: Array.isArray(v.agents) ? v.agents.filter((a): a is string => typeof a === "string") : [],
    children: children.filter((c): c is { name: string; pid: number } =>
      typeof c === "object" && c !== null && typeof c.name === "string" && typeof c.pid === "number"),
    ...(typeof v.monitor === "string" ? { monitor: v.monitor } : {}),
  };
}

/**
 * The monitor to watch on a database: the one the supervisor that runs (or ran) on it names in
 * its record; otherwise the monitor runs alone (`bg-agents monitor`) under AGENT_NAME, `fallback`.
 */
export function monitorNameFor(record: SupervisorRecord | undefined, fallback: string): string {
  return record?.monitor ?? fallback;
}

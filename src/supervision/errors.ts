/**
 * Refusals around the supervisor: a second supervisor on the same database, and restart requests
 * nobody would serve. HTTP answers the restart refusals with 409 (src/http/errors.ts); the CLI
 * exits 1 when no supervisor runs and 2 for an agent it does not run (src/cli/commands/restart.ts).
 */
import { BgAgentsError, namedErrorGuard } from "../errors/index.js";

export class SupervisorRunningError extends BgAgentsError {
  constructor(readonly databasePath: string, holder: string) {
    super("SUPERVISOR_RUNNING", `Another supervisor already runs on ${databasePath} (${holder}). Stop it first, or use bg-agents restart to restart its agents.`);
    this.name = "SupervisorRunningError";
  }
}

/** Where an agent runs, as its record says (for the advice to restart it there). */
export interface AgentWhereabouts {
  name: string;
  pid: number | null;
  host: string | null;
}

/** No supervisor runs on the database: a restart request would never be served. */
export class NoSupervisorError extends BgAgentsError {
  constructor(readonly names: readonly string[]) {
    const who = names.length === 1 ? `${names[0]} where it runs` : "the agents where they run";
    super("NO_SUPERVISOR", `No supervisor is running on this database, so nothing would serve a restart request; none was recorded. ` +
      `Start the fleet with bg-agents start, or restart ${who}.`);
    this.name = "NoSupervisorError";
  }
}

/** The running supervisor does not run these agents (they push heartbeats or use AgentClient): it would never serve their restart. */
export class AgentNotSupervisedError extends BgAgentsError {
  readonly names: readonly string[];
  /** The same refusal for the first agent in one sentence (the HTTP API's answer, which names one agent). */
  readonly short: string;

  constructor(readonly agents: readonly AgentWhereabouts[], readonly supervisorPid: number | undefined, readonly supervised: readonly string[]) {
    const one = agents.length === 1;
    const where = agents.filter((a) => a.pid !== null).map((a) => `${a.name}: ${pidOnHost(a)}`);
    super("AGENT_NOT_SUPERVISED", `${agents.map((a) => a.name).join(", ")} ${one ? "is" : "are"} not supervised: the running supervisor ` +
      `(pid ${supervisorPid ?? "?"}) does not run ${one ? "it" : "them"}, so a restart request would never be served; nothing was requested. ` +
      `Restart ${one ? "it" : "them"} where ${one ? "it runs" : "they run"}${where.length ? ` (${where.join("; ")})` : ""}, ` +
      `or remove the record of an agent that is gone for good: bg-agents cleanup-stale. ` +
      `The supervisor runs: ${supervised.join(", ") || "no agent"}.`);
    this.name = "AgentNotSupervisedError";
    this.names = agents.map((a) => a.name);
    const first = agents[0];
    this.short = !first ? this.message : `${first.name} is not supervised: the running supervisor (pid ${supervisorPid ?? "?"}) does not run it, ` +
      `so a restart request would never be served; none was recorded. Restart it where it runs${first.pid !== null ? ` (${pidOnHost(first)})` : ""}.`;
  }
}

/** PostgreSQL: the agents' host has a supervisor record, but that supervisor is gone (its lease ran out or was given up). */
export class SupervisorGoneError extends BgAgentsError {
  readonly names: readonly string[];
  /** The same refusal for the first agent in one sentence (the HTTP API's answer). */
  readonly short: string;

  constructor(readonly gone: ReadonlyArray<{ name: string; host: string; pid?: number; seenAt?: number }>, now: number) {
    const hosts = [...new Set(gone.map((g) => g.host))];
    const ago = (g: (typeof gone)[number]) => (g.seenAt === undefined ? "it holds no lease" : `last seen ${Math.max(0, Math.round((now - g.seenAt) / 1000))}s ago`);
    const about = (g: (typeof gone)[number]) => `${g.name} runs under the supervisor of host ${g.host} (pid ${g.pid ?? "?"}), which is gone (${ago(g)})`;
    const advice = `so a restart request would never be served; nothing was requested. Start the supervisor on ${hosts.join(", ")} ` +
      `(bg-agents start there restarts its agents), or remove the record of an agent that is gone for good: bg-agents cleanup-stale.`;
    super("SUPERVISOR_GONE", `${gone.map(about).join("; ")}, ${advice}`);
    this.name = "SupervisorGoneError";
    this.names = gone.map((g) => g.name);
    this.short = gone[0] ? `${about(gone[0])}, ${advice}` : this.message;
  }
}

/** PostgreSQL: an agent this host would run is already run by another host's running supervisor (one record per name). */
export class AgentNameTakenError extends BgAgentsError {
  constructor(readonly taken: ReadonlyArray<{ name: string; host: string; pid?: number }>, ourHost: string) {
    const about = taken.map((t) => `${t.name} is already run by the supervisor of host ${t.host} (pid ${t.pid ?? "?"})`).join("; ");
    super("AGENT_NAME_TAKEN", `${about}. Two hosts cannot run agents of the same name on one database: give the agent on ${ourHost} another name, ` +
      `or stop it on ${[...new Set(taken.map((t) => t.host))].join(", ")} first.`);
    this.name = "AgentNameTakenError";
  }
}

const pidOnHost = (a: AgentWhereabouts) => `pid ${a.pid}${a.host ? ` on ${a.host}` : ""}`;

export const isSupervisorRunningError = namedErrorGuard<SupervisorRunningError>("SupervisorRunningError");
export const isNoSupervisorError = namedErrorGuard<NoSupervisorError>("NoSupervisorError");
export const isAgentNotSupervisedError = namedErrorGuard<AgentNotSupervisedError>("AgentNotSupervisedError");
export const isAgentNameTakenError = namedErrorGuard<AgentNameTakenError>("AgentNameTakenError");
export const isSupervisorGoneError = namedErrorGuard<SupervisorGoneError>("SupervisorGoneError");

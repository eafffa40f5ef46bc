/**
 * The heartbeat's transactions, prepared once (the hottest write): one agent's, or a batch's that
 * answers each agent's state after its heartbeat. A live agent keeps its own state (no transition
 * trigger fires); a stale, stopped or failed one is revived and an unknown one registered, both
 * `active` (the transition triggers of migration 006 record it). Run them under the state lock,
 * with `.immediate`.
 */
import type Database from "better-sqlite3";
import { REVIVABLE_STATES } from "../states.js";
import type { AgentState } from "../types.js";
import type { heartbeatParams } from "./rows.js";
import type { Statements } from "./statements.js";

type Params = ReturnType<typeof heartbeatParams>;

export class HeartbeatWrites {
  readonly one: Database.Transaction<(params: Params) => void>;
  readonly many: Database.Transaction<(batch: Params[]) => AgentState[]>;

  constructor(db: Database.Database, stmts: Statements) {
    const revive = (params: Params): void => {
      if (stmts.heartbeatRevive.run(params).changes === 0) stmts.heartbeatInsert.run(params);
    };
    const beat = (params: Params): AgentState => {
      const state = stmts.stateOf.get(params.name) as AgentState | undefined;
      if (state !== undefined && !REVIVABLE_STATES.includes(state)) {
        stmts.heartbeatLive.run(params);
        return state;
      }
      revive(params);
      return "active";
    };
    this.one = db.transaction((params: Params) => {
      if (stmts.heartbeatLive.run(params).changes === 0) revive(params);
    });
    this.many = db.transaction((batch: Params[]) => batch.map(beat));
  }
}

/**
 * PostgreSQL side of recordPing / getPings, the same rules as SQLite's (src/storage/sqlite/pings.ts):
 * one row per ping, the newest KEEP per agent, an end paired with its start in the same
 * transaction. The agent's row is locked first, so two pings of one agent pair one at a time.
 */
import type pg from "pg";
import { AgentNotFoundError, ValidationError } from "../../errors/index.js";
import { PING_KINDS, type PingInput, type PingKind, type PingRecord } from "../types.js";
import type { PgCore } from "./core.js";
import { pgText } from "./rows.js";

const KEEP = 100;
const MAX_MESSAGE = 10_000;

interface PingRow {
  id: number; agent: string; at: number; kind: PingKind; rid: string | null; message: string | null; exit_status: number | null; duration_ms: number | null;
}

const toRecord = (r: PingRow): PingRecord => ({
  id: r.id, agent: r.agent, at: r.at, kind: r.kind, rid: r.rid, message: r.message, exitStatus: r.exit_status, durationMs: r.duration_ms,
});

function assertPing(p: PingInput): void {
  if (!(PING_KINDS as readonly string[]).includes(p.kind)) throw new ValidationError(`Unknown ping kind "${String(p.kind)}"; expected one of ${PING_KINDS.join(", ")}`);
  if (p.exitStatus !== undefined && !(Number.isInteger(p.exitStatus) && p.exitStatus >= 0 && p.exitStatus <= 255)) {
    throw new ValidationError(`Exit status ${String(p.exitStatus)} is invalid: expected a whole number 0-255`);
  }
}

export class PgPings {
  constructor(private readonly core: PgCore) {}

  async record(agent: string, p: PingInput): Promise<PingRecord> {
    assertPing(p);
    const s = this.core.s;
    return this.core.tx(async (c) => {
      const self = await c.query<{ now: number }>(`SELECT ${this.core.now(2)} AS now FROM ${s}.agents WHERE name = $1 FOR UPDATE`, [agent, this.core.nowParam()]);
      if (!self.rows[0]) throw new AgentNotFoundError(agent);
      const now = self.rows[0].now;
      let durationMs: number | null = null;
      const start = p.kind === "success" || p.kind === "fail" ? await this.startOf(c, agent, p.rid) : undefined;
      if (start) {
        durationMs = Math.max(0, now - start.at);
        await c.query(`UPDATE ${s}.agent_pings SET paired = true WHERE id = $1`, [start.id]);
      }
      const row = (await c.query<PingRow>(`INSERT INTO ${s}.agent_pings (agent, at, kind, rid, message, exit_status, duration_ms)
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
      [agent, now, p.kind, pgText(p.rid), p.message === undefined ? null : pgText(p.message.slice(0, MAX_MESSAGE)), p.exitStatus ?? null, durationMs])).rows[0]!;
      await c.query(`DELETE FROM ${s}.agent_pings WHERE agent = $1 AND id <= (
        SELECT id FROM ${s}.agent_pings WHERE agent = $1 ORDER BY id DESC LIMIT 1 OFFSET ${KEEP})`, [agent]);
      return toRecord(row);
    });
  }

  /** The newest open start with that rid; without rid, the previous ping without rid if it is an open start. */
  private async startOf(c: pg.ClientBase, agent: string, rid: string | undefined): Promise<{ id: number; at: number } | undefined> {
    const s = this.core.s;
    if (rid !== undefined) {
      return (await c.query<{ id: number; at: number }>(`SELECT id, at FROM ${s}.agent_pings
        WHERE agent = $1 AND kind = 'start' AND rid = $2 AND NOT paired ORDER BY id DESC LIMIT 1`, [agent, pgText(rid)])).rows[0];
    }
    const prev = (await c.query<{ id: number; at: number; kind: PingKind; paired: boolean }>(`SELECT id, at, kind, paired FROM ${s}.agent_pings
      WHERE agent = $1 AND rid IS NULL AND kind IN ('start','success','fail') ORDER BY id DESC LIMIT 1`, [agent])).rows[0];
    return prev && prev.kind === "start" && !prev.paired ? prev : undefined;
  }

  async get(agent: string, limit: number): Promise<PingRecord[]> {
    const r = await this.core.query<PingRow>({ text: `SELECT * FROM ${this.core.s}.agent_pings WHERE agent = $1 ORDER BY id DESC LIMIT $2`, values: [agent, Math.max(1, Math.floor(limit))] });
    return r.rows.map(toRecord);
  }
}

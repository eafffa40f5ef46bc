/**
 * SQLite side of recordPing / getPings: one row per ping, the newest KEEP per agent. An end is
 * paired with its start in the same transaction (a start is paired at most once).
 */
import { AgentNotFoundError, ValidationError } from "../../errors/index.js";
import { PING_KINDS, type PingInput, type PingKind, type PingRecord } from "../types.js";
import type { Db } from "./open.js";

/** Pings kept per agent. */
const KEEP = 100;
/** The longest message kept, in characters (the HTTP routes cut bodies at 10,000 bytes first). */
const MAX_MESSAGE = 10_000;

interface PingRow {
  id: number;
  agent: string;
  at: number;
  kind: PingKind;
  rid: string | null;
  message: string | null;
  exit_status: number | null;
  duration_ms: number | null;
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

export class SqlitePings {
  private readonly agentExists;
  private readonly openStart;
  private readonly previousWithoutRid;
  private readonly markPaired;
  private readonly insert;
  private readonly prune;
  private readonly list;

  constructor(db: Db) {
    this.agentExists = db.prepare(`SELECT 1 FROM agents WHERE name = ?`);
    this.openStart = db.prepare(`
      SELECT id, at FROM agent_pings WHERE agent = @agent AND kind = 'start' AND rid = @rid AND paired = 0 ORDER BY id DESC LIMIT 1`);
    this.previousWithoutRid = db.prepare(`
      SELECT id, at, kind, paired FROM agent_pings WHERE agent = @agent AND rid IS NULL AND kind IN ('start','success','fail')
      ORDER BY id DESC LIMIT 1`);
    this.markPaired = db.prepare(`UPDATE agent_pings SET paired = 1 WHERE id = ?`);
    this.insert = db.prepare(`
      INSERT INTO agent_pings (agent, at, kind, rid, message, exit_status, duration_ms)
      VALUES (@agent, @at, @kind, @rid, @message, @exitStatus, @durationMs) RETURNING *`);
    this.prune = db.prepare(`
      DELETE FROM agent_pings WHERE agent = @agent AND id <= (
        SELECT id FROM agent_pings WHERE agent = @agent ORDER BY id DESC LIMIT 1 OFFSET ${KEEP})`);
    this.list = db.prepare(`SELECT * FROM agent_pings WHERE agent = ? ORDER BY id DESC LIMIT ?`);
  }

  /** Call inside a write transaction. */
  record(agent: string, p: PingInput, now: number): PingRecord {
    assertPing(p);
    if (!this.agentExists.get(agent)) throw new AgentNotFoundError(agent);
    let durationMs: number | null = null;
    const start = p.kind === "success" || p.kind === "fail" ? this.startOf(agent, p.rid) : undefined;
    if (start) {
      durationMs = Math.max(0, now - start.at);
      this.markPaired.run(start.id);
    }
    const row = this.insert.get({
      agent, at: now, kind: p.kind, rid: p.rid ?? null, message: p.message === undefined ? null : p.message.slice(0, MAX_MESSAGE),
      exitStatus: p.exitStatus ?? null, durationMs,
    }) as PingRow;
    this.prune.run({ agent });
    return toRecord(row);
  }

  /** The start an end with `rid` closes: the newest open one with that rid; without rid, the previous ping without rid if it is an open start. */
  private startOf(agent: string, rid: string | undefined): { id: number; at: number } | undefined {
    if (rid !== undefined) return this.openStart.get({ agent, rid }) as { id: number; at: number } | undefined;
    const prev = this.previousWithoutRid.get({ agent }) as { id: number; at: number; kind: PingKind; paired: number } | undefined;
    return prev && prev.kind === "start" && !prev.paired ? prev : undefined;
  }

  get(agent: string, limit: number): PingRecord[] {
    return (this.list.all(agent, Math.max(1, Math.floor(limit))) as PingRow[]).map(toRecord);
  }
}

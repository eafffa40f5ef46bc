/**
 * `bg-agents inspect`: the seed's check_shared_state_directly.py. The raw shared state through a
 * read-only connection (no lock, no migration): agent rows, recent transitions and errors,
 * system_state, row counts of every table. On PostgreSQL (DATABASE_URL, no --db) the same from the
 * schema through a read-only session, plus the leases (monitor leader, a supervisor per host).
 */
import type { Command } from "commander";
import { inspectDbFile, openReadOnly, readPgRawState, readRawState, type PgRawState, type RawState } from "../../diagnostics/index.js";
import { storageWhere } from "../../storage/index.js";
import { DatabaseError } from "../../errors/index.js";
import { colourEnabled, painter, type Paint } from "../format/colour.js";
import { printJson } from "../format/json.js";
import { renderTable } from "../format/table.js";
import { action, assertDatabaseExists, cliConfig, countArg, EXIT, withCommonOptions, type DbOptions } from "../support/run.js";

interface InspectFlags extends DbOptions {
  agent?: string;
  limit: number;
}

export function register(program: Command): void {
  withCommonOptions(
    program
      .command("inspect")
      .description("Print the raw shared state: agents rows, recent transitions and errors, system_state, row counts")
      .option("--agent <name>", "only this agent's rows")
      .option("--limit <n>", "recent transitions and errors shown", countArg, 20),
  )
    .addHelpText("after", "\nReads through a read-only connection: safe while agents run.\nExit codes: 0 done, 2 bad config or unreadable database.")
    .action(action(async (opts: InspectFlags) => {
      const config = cliConfig({ databasePath: opts.db });
      if (config.databaseUrl && !opts.db) {
        const where = storageWhere(config);
        const pgState = await readPgRawState(config.databaseUrl, config.databaseSchema ?? "bg_agents", { agent: opts.agent, limit: opts.limit });
        if (opts.json) printJson({ database: where, schema: config.databaseSchema ?? "bg_agents", ...pgState });
        else process.stdout.write(renderRawState(`${where} (schema ${config.databaseSchema ?? "bg_agents"})`, pgState, painter(colourEnabled())) + "\n");
        return EXIT.OK;
      }
      const path = config.databasePath;
      assertDatabaseExists(path);
      if (inspectDbFile(path).kind !== "sqlite") {
        throw new DatabaseError("DB_NOT_SQLITE", path, `${path} is not a SQLite database (or is empty); it was left untouched. Run bg-agents db-check for details.`);
      }
      const db = openReadOnly(path);
      let state: RawState;
      try {
        state = readRawState(db, { agent: opts.agent, limit: opts.limit });
      } finally {
        db.close();
      }
      if (opts.json) printJson({ databasePath: path, ...state });
      else process.stdout.write(renderRawState(path, state, painter(colourEnabled())) + "\n");
      return EXIT.OK;
    }));
}

const iso = (v: unknown) => (typeof v === "number" ? new Date(v).toISOString() : "-");
const text = (v: unknown) => (v === null || v === undefined ? "-" : String(v));

function renderRawState(path: string, s: RawState | PgRawState, paint: Paint): string {
  const section = (title: string, body: string) => `${paint("bold", title)}\n${body}`;
  const table = <T>(rows: T[], cols: Parameters<typeof renderTable<T>>[1]) => (rows.length ? renderTable(rows, cols) : "(none)");
  return [
    `Database: ${path}  schema ${s.schemaVersion} (expected ${s.expectedSchemaVersion})`,
    section("Tables (rows)", table(Object.entries(s.tables), [{ header: "TABLE", value: ([n]) => n }, { header: "ROWS", value: ([, c]) => String(c), align: "right" }])),
    section(`Agents (${s.agents.length})`, table(s.agents, [
      { header: "name", value: (r) => text(r.name), max: 40 },
      { header: "state", value: (r) => text(r.state) },
      { header: "state_reason", value: (r) => text(r.state_reason), max: 40 },
      { header: "last_heartbeat", value: (r) => iso(r.last_heartbeat) },
      { header: "pid", value: (r) => text(r.pid) },
      { header: "host", value: (r) => text(r.host), max: 20 },
      { header: "heartbeats", value: (r) => text(r.heartbeats), align: "right" },
      { header: "error_count", value: (r) => text(r.error_count), align: "right" },
      { header: "restarts", value: (r) => text(r.restarts), align: "right" },
    ])),
    section(`Recent transitions (newest first, up to ${s.transitions.length})`, table(s.transitions, [
      { header: "at", value: (r) => iso(r.at) },
      { header: "agent", value: (r) => text(r.agent), max: 40 },
      { header: "from → to", value: (r) => `${text(r.from_state)} → ${text(r.to_state)}` },
      { header: "reason", value: (r) => text(r.reason), max: 60 },
    ])),
    section(`Recent errors (newest first, up to ${s.errors.length})`, table(s.errors, [
      { header: "at", value: (r) => iso(r.at) },
      { header: "agent", value: (r) => text(r.agent), max: 40 },
      { header: "message", value: (r) => text(r.message), max: 80 },
    ])),
    section("system_state", table(s.systemState, [
      { header: "key", value: (r) => text(r.key) },
      { header: "value", value: (r) => text(r.value), max: 80 },
      { header: "updated_at", value: (r) => iso(r.updated_at) },
    ])),
    ...("leases" in s ? [
      section("leases (monitor leader; supervisor@<host>: one supervisor per host)", table(s.leases, [
        { header: "name", value: (r) => text(r.name), max: 40 },
        { header: "holder", value: (r) => text(r.holder), max: 60 },
        { header: "epoch", value: (r) => text(r.epoch), align: "right" },
        { header: "expires_at", value: (r) => iso(r.expires_at) },
      ])),
      section("lease_members", table(s.leaseMembers, [
        { header: "lease", value: (r) => text(r.lease), max: 40 },
        { header: "host", value: (r) => text(r.host), max: 30 },
        { header: "pid", value: (r) => text(r.pid) },
        { header: "agent", value: (r) => text(r.agent), max: 40 },
        { header: "seen_at", value: (r) => iso(r.seen_at) },
      ])),
    ] : []),
  ].join("\n\n");
}

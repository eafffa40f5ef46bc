/**
 * checkDatabase(): the logic of `bg-agents db-check` (and of doctor's database part). Looks at the
 * file, then (only if it is SQLite) integrity, schema version, journal mode, sizes, lock holders,
 * checkpoint rows and a latency probe. A file that is not SQLite, or is corrupt, is only read.
 */
import { lockHolders, type LockHolder } from "../locking/index.js";
import { SCHEMA_VERSION, schemaVersion, type Db } from "../storage/sqlite/index.js";
import { inspectDbFile, type DbFileInfo } from "./db-file.js";
import { diskSpace, type DiskSpace } from "./disk-space.js";
import { hasTable, openReadOnly } from "./db-open.js";
import { checkIntegrity, type IntegrityResult } from "./integrity.js";
import { probeReads, probeWrite, type ReadProbe, type WriteProbe } from "./probe.js";
import { verdictOf, type Finding, type Verdict } from "./types.js";

export interface DbCheckOptions {
  /** integrity_check (reads every page, slow on big files) instead of quick_check. */
  full?: boolean;
  /** Skip the probe write (then nothing at all is written). @defaultValue true */
  write?: boolean;
  /** Longest wait for the lock / SQLite write lock in the probe. @defaultValue 2000 */
  /** @defaultValue probeTimeoutFor(config): LOCK_TIMEOUT, at most 2 s */
  probeTimeoutMs?: number;
  /** WAL bigger than this is reported (checkpoints starved by a long reader). @defaultValue 64 MiB */
  walWarnBytes?: number;
  /** Less free space than this on the database's file system is a warning. @defaultValue 64 MiB or 10% of a smaller one */
  spaceWarnBytes?: number;
  /** Less free space than this is a failure: writes are about to fail with SQLITE_FULL. @defaultValue 4 MiB or 2% of a smaller one */
  spaceFailBytes?: number;
  /** Probe latency above this is reported (the seed's 100 ms target). @defaultValue 100 */
  slowMs?: number;
  /** Called before each long step (for a progress display). */
  onStep?: (step: string) => void;
}

export interface CheckpointStats {
  checkpoints: number;
  writes: number;
  threads: number;
  maxPerThread: number;
}

export interface DbCheckReport {
  path: string;
  file: DbFileInfo;
  integrity?: IntegrityResult;
  schema?: { version: number; expected: number };
  journalMode?: string;
  space?: DiskSpace;
  pages?: { pageSize: number; pageCount: number; freelistCount: number };
  lockHolders: LockHolder[];
  latency?: { reads: ReadProbe; write?: WriteProbe };
  checkpoints?: CheckpointStats;
  findings: Finding[];
  verdict: Verdict;
}

const MiB = 1024 * 1024;

function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < MiB ? `${(n / 1024).toFixed(1)} KiB` : `${(n / MiB).toFixed(1)} MiB`;
}

export async function checkDatabase(path: string, opts: DbCheckOptions = {}): Promise<DbCheckReport> {
  const file = inspectDbFile(path);
  const report: DbCheckReport = { path, file, lockHolders: lockHolders(`${path}.lock`), findings: [], verdict: "ok" };
  const add = (f: Finding) => report.findings.push(f);
  const done = () => ((report.verdict = verdictOf(report.findings)), report);

  const fileFinding = fileProblem(file);
  if (fileFinding) return add(fileFinding), done();
  add({ id: "db.file", title: "Database file", status: "ok", detail: `SQLite file, ${bytes(file.sizeBytes)}` });
  report.space = diskSpace(path);
  if (report.space) {
    const total = report.space.totalBytes;
    add(spaceFinding(path, report.space, opts.spaceWarnBytes ?? Math.min(64 * MiB, total * 0.1), opts.spaceFailBytes ?? Math.min(4 * MiB, total * 0.02)));
  }

  opts.onStep?.(opts.full ? "integrity_check (reads every page)" : "quick_check");
  report.integrity = await checkIntegrity(path, { full: opts.full });
  if (report.integrity.error) {
    const { code, message } = report.integrity.error;
    add({
      id: "db.integrity", title: "Integrity", status: "fail",
      detail: `${report.integrity.mode} could not run (${code}: ${message}); this says nothing about corruption, and the file was not modified`,
      fix: storageFix(code, path) ?? ["run bg-agents db-check again; if it keeps failing, check the file's permissions and the disk"],
    });
    return done();
  }
  if (!report.integrity.ok) {
    add({
      id: "db.integrity", title: "Integrity", status: "fail",
      detail: `${report.integrity.mode} found problems; the file was not modified`,
      items: report.integrity.problems.slice(0, 10),
      fix: ["stop every agent (Ctrl-C the supervisor)", `restore ${path} from a backup, or move it away to start fresh: mv ${path} ${path}.corrupt`],
    });
    return done();
  }
  add({ id: "db.integrity", title: "Integrity", status: "ok", detail: `${report.integrity.mode}: ok (${Math.round(report.integrity.ms)} ms)` });

  let db: Db;
  try {
    db = openReadOnly(path);
  } catch (e) {
    add({ id: "db.open", title: "Open", status: "fail", detail: (e as Error).message });
    return done();
  }
  let schemaOk = false;
  try {
    schemaOk = inspectSchema(db, report, add);
    inspectStorage(db, report, add, opts.walWarnBytes ?? 64 * MiB);
    if (schemaOk) report.latency = { reads: probeReads(db) };
  } finally {
    db.close();
  }

  report.lockHolders = lockHolders(`${path}.lock`);
  if (report.latency && opts.write !== false) {
    opts.onStep?.("probe write (state lock + BEGIN IMMEDIATE)");
    report.latency.write = await probeWrite(path, opts.probeTimeoutMs ?? 2000);
    if (!report.latency.write.ok) report.lockHolders = lockHolders(`${path}.lock`);
  }
  if (report.latency) add(latencyFinding(report, opts.slowMs ?? 100));
  add(holdersFinding(report));
  return done();
}

function fileProblem(file: DbFileInfo): Finding | undefined {
  const id = "db.file";
  const title = "Database file";
  switch (file.kind) {
    case "missing":
      return { id, title, status: "fail", detail: `no file at ${file.path}`, fix: ["check DATABASE_PATH (or --db): it must name the file your agents use", "start the system once to create it: bg-agents start"] };
    case "empty":
      return { id, title, status: "fail", detail: `${file.path} is empty (0 bytes): no schema yet`, fix: ["start the system once to create the schema: bg-agents start"] };
    case "not-sqlite":
      return { id, title, status: "fail", detail: `${file.path} is not a SQLite database (wrong header); it was not modified`, fix: ["point DATABASE_PATH (or --db) at the right file", `or move this file away if it is yours to replace: mv ${file.path} ${file.path}.bak`] };
    default:
      return undefined;
  }
}

/** Schema version and our tables; returns true when this build can use the database as is. */
function inspectSchema(db: Db, report: DbCheckReport, add: (f: Finding) => void): boolean {
  const version = schemaVersion(db);
  report.schema = { version, expected: SCHEMA_VERSION };
  const id = "db.schema";
  const title = "Schema version";
  if (version === 0 && !hasTable(db, "agents")) {
    add({ id, title, status: "fail", detail: "no background-agents schema (user_version 0, no agents table)", fix: ["is this the right file? check DATABASE_PATH (or --db)", "a new file gets its schema on start: bg-agents start"] });
    return false;
  }
  if (version > SCHEMA_VERSION) {
    add({ id, title, status: "fail", detail: `version ${version} is newer than this build knows (${SCHEMA_VERSION})`, fix: ["upgrade background-agents to the version that wrote this file"] });
    return false;
  }
  if (version < SCHEMA_VERSION) {
    add({ id, title, status: "warn", detail: `version ${version}, this build expects ${SCHEMA_VERSION}: it is migrated on the next start`, fix: ["bg-agents start (migrates in one transaction)"] });
    return hasTable(db, "agents") && hasTable(db, "system_state");
  }
  add({ id, title, status: "ok", detail: `version ${version} (expected ${SCHEMA_VERSION})` });
  return true;
}

function inspectStorage(db: Db, report: DbCheckReport, add: (f: Finding) => void, walWarnBytes: number): void {
  report.journalMode = String(db.pragma("journal_mode", { simple: true }));
  report.pages = {
    pageSize: db.pragma("page_size", { simple: true }) as number,
    pageCount: db.pragma("page_count", { simple: true }) as number,
    freelistCount: db.pragma("freelist_count", { simple: true }) as number,
  };
  if (report.journalMode !== "wal") {
    add({ id: "db.journal", title: "Journal mode", status: "warn", detail: `${report.journalMode}, expected wal: readers and writers block each other`, fix: ["it is switched to WAL on the next start: bg-agents start"] });
  }
  const wal = report.file.walBytes;
  add(wal > walWarnBytes
    ? { id: "db.wal", title: "WAL size", status: "warn", detail: `WAL is ${bytes(wal)} (limit ${bytes(walWarnBytes)}): checkpoints are not keeping up (a long-lived reader or a stuck process?)`,
        fix: ["look for a process keeping a read transaction open (a sqlite3 shell, a backup): bg-agents db-check lists lock holders", "restarting the agents lets SQLite checkpoint and truncate it"] }
    : { id: "db.wal", title: "Sizes", status: "ok", detail: `database ${bytes(report.file.sizeBytes)}, WAL ${bytes(wal)}, free pages ${report.pages.freelistCount} of ${report.pages.pageCount}` });
  if (hasTable(db, "checkpoints") && hasTable(db, "writes")) {
    const c = db.prepare(`SELECT count(*) AS n, count(DISTINCT thread_id) AS threads FROM checkpoints`).get() as { n: number; threads: number };
    const max = db.prepare(`SELECT coalesce(max(n), 0) AS m FROM (SELECT count(*) AS n FROM checkpoints GROUP BY thread_id, checkpoint_ns)`).get() as { m: number };
    const w = db.prepare(`SELECT count(*) AS n FROM writes`).get() as { n: number };
    report.checkpoints = { checkpoints: c.n, writes: w.n, threads: c.threads, maxPerThread: max.m };
    add({ id: "db.checkpoints", title: "Checkpoints", status: "info", detail: `${c.n} checkpoints on ${c.threads} thread(s) (most on one: ${max.m}), ${w.n} pending writes` });
  }
}

function spaceFinding(path: string, s: DiskSpace, warnBytes: number, failBytes: number): Finding {
  const id = "db.space";
  const title = "Free space";
  const detail = `${bytes(s.freeBytes)} free of ${bytes(s.totalBytes)} on the file system of ${s.dir}`;
  if (s.notWritable) {
    const what = s.notWritable === "EROFS" ? "the file system is read-only" : `writes are refused (${s.notWritable})`;
    return { id, title: "Writable", status: "fail", detail: `${what}: ${s.dir}; every agent write fails (${detail})`, fix: storageFix(s.notWritable, path) };
  }
  const fix = [`free space on the file system of ${s.dir} (or move DATABASE_PATH to a bigger one)`, "old log files and checkpoints take room too: LOG_RETENTION_DAYS, CHECKPOINT_RETENTION"];
  if (s.freeBytes < failBytes) return { id, title, status: "fail", detail: `${detail}: writes fail or are about to fail with SQLITE_FULL (database or disk is full)`, fix };
  if (s.freeBytes < warnBytes) return { id, title, status: "warn", detail: `${detail} (less than ${bytes(warnBytes)})`, fix };
  return { id, title, status: "ok", detail };
}

/** What to do when the probe write failed for a reason other than a lock: the cause is the file system, not a holder. */
function storageFix(code: string | undefined, path: string): string[] | undefined {
  if (!code) return undefined;
  if (code === "SQLITE_FULL" || code === "ENOSPC" || code === "SQLITE_IOERR_SHMSIZE") return [`free space on the file system of ${path} (df -h ${path}); agents resume on their own once writes succeed`];
  if (code.startsWith("SQLITE_READONLY") || code === "EROFS") return [`the database or its file system is read-only: check how its file system is mounted (findmnt -T ${path}) and the file's owner and mode (ls -l ${path}*)`];
  if (code.startsWith("SQLITE_IOERR") || code === "EIO") return [`the disk returned an I/O error: check the kernel log (dmesg) and the disk holding ${path}`];
  if (code.startsWith("SQLITE_CANTOPEN") || code === "SQLITE_PERM" || code === "EACCES") return [`the database cannot be opened for writing: check the permissions of ${path} and its directory`];
  return undefined;
}

function latencyFinding(report: DbCheckReport, slowMs: number): Finding {
  const { reads, write } = report.latency!;
  const id = "db.latency";
  const title = "Latency probe";
  const readText = `reads p50 ${reads.p50Ms.toFixed(2)} ms, max ${reads.maxMs.toFixed(2)} ms`;
  if (write && !write.ok) {
    const holders = report.lockHolders.map((h) => `pid ${h.pid} (${h.command})`);
    return {
      id, title, status: "fail",
      detail: write.errorCode === "LOCK_TIMEOUT"
        ? `the probe write could not take the state lock: it is held by ${holders.join(", ") || "an unknown process"}`
        : write.errorCode === "SQLITE_BUSY"
          ? "the probe write got SQLITE_BUSY: a connection outside the state lock (a sqlite3 shell, a backup) holds a write transaction"
          : `the probe write failed: ${write.error}`,
      items: [readText, ...(write.error ? [write.error] : [])],
      fix: storageFix(write.errorCode, report.path) ?? [
        "see what the holder is doing; if it is hung, stop it (kill <pid>): the kernel releases its lock",
        "close any sqlite3 shell or backup tool that has the database open",
        "if the waits are only long under load, raise LOCK_TIMEOUT / RETRY_ATTEMPTS / BACKOFF_FACTOR",
      ],
    };
  }
  const writeText = write ? `, write ${write.writeMs!.toFixed(2)} ms after ${write.lockMs!.toFixed(2)} ms for the lock` : ", write skipped";
  const worst = Math.max(reads.maxMs, write ? write.writeMs! + write.lockMs! : 0);
  return worst > slowMs
    ? { id, title, status: "warn", detail: readText + writeText + ` (slower than ${slowMs} ms)`, fix: ["check disk and CPU load; a big WAL or many agents writing at once slow writes down"] }
    : { id, title, status: "ok", detail: readText + writeText };
}

function holdersFinding(report: DbCheckReport): Finding {
  const items = report.lockHolders.map((h) => `pid ${h.pid}: ${h.command}`);
  return {
    id: "db.lock-holders", title: "State lock holders", status: "info",
    detail: items.length ? `${items.length} process(es) hold ${report.path}.lock right now` : "nobody holds the state lock right now",
    items,
  };
}

/** How long a probe write waits for the lock: LOCK_TIMEOUT, but never more than 2 s (a check must not hang). */
export function probeTimeoutFor(config: { lockTimeoutMs: number }): number {
  return Math.min(config.lockTimeoutMs, 2000);
}

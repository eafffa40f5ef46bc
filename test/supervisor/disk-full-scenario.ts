/**
 * The disk-full day with a real fleet (`bg-agents start`): the database lives on a small tmpfs
 * (root), which is filled to the last byte for `fullForMs` and then freed. WAL pages already
 * allocated would keep taking writes, so the WAL is truncated (checkpoint) between two fills:
 * every commit then needs new space and really fails with SQLITE_FULL.
 * Returns what a test asserts; used by test/supervisor/disk-full.int.test.ts and the chaos suite.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pidAlive } from "../../src/process/index.js";
import type { AgentRecord } from "../../src/storage/index.js";
import { runCli } from "../helpers/cli.js";
import { makeTempDir } from "../helpers/temp-dir.js";
import { mountTmpfs } from "../helpers/tmpfs.js";
import { sleep, waitFor } from "../helpers/wait.js";
import { agentsByName, startFleet, SYSTEM_AGENTS, waitActive, type Fleet } from "../helpers/fleet.js";

export interface DiskFullOutcome {
  fleet: Fleet;
  before: Map<string, AgentRecord>;
  after: Map<string, AgentRecord>;
  /** Records that said `active` for a pid that was not running, seen while full and after. */
  liesSeen: string[];
  /** `bg-agents status --json` run while the disk was full. */
  statusWhileFull: { code: number | null; stdout: string; stderr: string };
  /** Agents that went `failed` at any point from the fill on. */
  failedSince: string[];
  /** Every log line of every process (JSON lines), with the file it came from. */
  logs: Array<{ file: string; level: string; message: string }>;
  recoverMs: number;
  integrity: string;
}

export async function diskFullDay(o: { fullForMs: number; env?: Record<string, string> }): Promise<DiskFullOutcome> {
  const fs = mountTmpfs(24 * 1024 * 1024);
  const logDir = makeTempDir("bga-diskfull-logs-");
  const fleet = await startFleet({ dir: fs.dir, env: { LOG_DIR: logDir, HEARTBEAT_INTERVAL: "0.25", STALE_THRESHOLD: "1.5", ...o.env } });
  const before = await waitActive(fleet, SYSTEM_AGENTS);
  const fillAt = Date.now();
  fs.fill();
  // the WAL's pages are already allocated: truncate it so every commit needs new space
  try {
    fleet.store.db.pragma("wal_checkpoint(TRUNCATE)");
  } catch {
    /* a full disk may refuse even that; the second fill still holds */
  }
  fs.fill();

  const liesSeen: string[] = [];
  const watchLies = async () => {
    for (const a of (await agentsByName(fleet.store)).values()) {
      if (a.state === "active" && a.pid && !pidAlive(a.pid)) liesSeen.push(`${a.name} active with pid ${a.pid} not running`);
    }
  };
  let statusWhileFull: DiskFullOutcome["statusWhileFull"] | undefined;
  while (Date.now() - fillAt < o.fullForMs) {
    await watchLies();
    if (!statusWhileFull && Date.now() - fillAt > o.fullForMs / 2) {
      statusWhileFull = await runCli(["status", "--json"], { cwd: logDir, env: { DATABASE_PATH: fleet.db } });
    }
    await sleep(250);
  }
  fs.free();
  const freedAt = Date.now();
  const after = await waitFor(async () => {
    await watchLies();
    const all = await agentsByName(fleet.store);
    return SYSTEM_AGENTS.every((n) => all.get(n)?.state === "active" && pidAlive(all.get(n)?.pid) && all.get(n)!.lastHeartbeat > freedAt) ? all : undefined;
  }, { timeoutMs: 60_000, intervalMs: 100, message: "every agent active again after the space came back" });
  const recoverMs = Date.now() - freedAt;
  await sleep(2_000); // a late restart or a late lie would show up now
  await watchLies();
  const failedSince = (await fleet.store.getTransitions({ since: fillAt, to: "failed" })).map((t) => t.agent);
  return {
    fleet, before, after: await agentsByName(fleet.store), liesSeen, failedSince, recoverMs,
    statusWhileFull: statusWhileFull ?? { code: null, stdout: "", stderr: "not run" },
    logs: readLogs(logDir),
    integrity: String(fleet.store.db.pragma("integrity_check", { simple: true })),
  };
}

function readLogs(dir: string): DiskFullOutcome["logs"] {
  return readdirSync(dir).filter((n) => n.startsWith("agent_")).flatMap((file) =>
    readFileSync(join(dir, file), "utf8").split("\n").filter(Boolean).map((l) => {
      const j = JSON.parse(l) as Record<string, unknown>;
      return { file, level: String(j.level), message: String(j.message) };
    }));
}

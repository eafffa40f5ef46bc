/**
 * Disk full under a real fleet for 30 s, then space freed (issue 11): a shared cause, not N agent
 * failures. No agent is left `failed`, no process restarted (no budget spent), every agent is
 * active again by itself, no record ever says `active` for a process that is gone, `status` works
 * while full, the log tells one story per process (one start line, one end line with the count),
 * and the database is sound.
 */
import { afterAll, describe, expect, it } from "vitest";
import { killChildren } from "../helpers/processes.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { unmountAll } from "../helpers/tmpfs.js";
import { diskFullDay } from "./disk-full-scenario.js";
import { killFleets, SYSTEM_AGENTS } from "../helpers/fleet.js";

afterAll(async () => {
  await killChildren();
  await killFleets();
  unmountAll();
  removeTempDirs();
});

describe("the database's file system fills up for 30 s", () => {
  it("no agent fails or restarts, all are active again once space is freed, the log has one start and one end line", async () => {
    const r = await diskFullDay({ fullForMs: 30_000 });
    const lines = r.logs.map((l) => `${l.file} ${l.level} ${l.message}`);
    const context = lines.filter((l) => !/ info /.test(l) || /works again/.test(l)).join("\n");
    console.log(`disk full 30 s: every agent active again ${r.recoverMs} ms after the space was freed`);

    // the writes really were refused, and the supervisor said so once, with what to do
    const supStart = r.logs.filter((l) => l.file.startsWith("agent_supervisor") && /supervisor heartbeat failed: database or disk is full/.test(l.message));
    expect(supStart, context).toHaveLength(1);
    expect(supStart[0]!.message).toMatch(/free space on the file system of .*state\.db/);
    const supEnd = r.logs.filter((l) => l.file.startsWith("agent_supervisor") && /supervisor heartbeat works again after (\d+) failure/.test(l.message));
    expect(supEnd, context).toHaveLength(1);
    expect(Number(/after (\d+) failure/.exec(supEnd[0]!.message)![1])).toBeGreaterThan(5);

    // each agent process: at most one start line and, if it started, one end line with a count
    for (const name of SYSTEM_AGENTS.filter((n) => n !== "SystemInitializer")) {
      const own = r.logs.filter((l) => l.message.startsWith(`${name}: database write`));
      const starts = own.filter((l) => / failed: /.test(l.message));
      const ends = own.filter((l) => /works again after \d+ failure/.test(l.message));
      expect(starts.length, `${name}\n${context}`).toBeLessThanOrEqual(1);
      expect(ends.length, `${name}\n${context}`).toBe(starts.length);
    }
    expect(r.logs.filter((l) => /cycle failed|cycles in a row|restart budget spent/.test(l.message)), context).toEqual([]);

    // nothing failed, nothing restarted, the same processes are active again
    expect(r.failedSince, context).toEqual([]);
    for (const n of SYSTEM_AGENTS) {
      expect(r.after.get(n)?.state, n).toBe("active");
      expect(r.after.get(n)?.pid, `${n} is the same process`).toBe(r.before.get(n)?.pid);
      expect(r.after.get(n)?.restarts, n).toBe(r.before.get(n)?.restarts);
    }
    expect(r.liesSeen).toEqual([]);

    // status answers while the disk is full, and tells no lie
    expect(r.statusWhileFull.code, r.statusWhileFull.stderr).toBe(0);
    expect(r.statusWhileFull.stdout.length).toBeGreaterThan(0);
    expect(r.integrity).toBe("ok");
  }, 240_000);
});

/**
 * Time from the server: agent processes whose clocks are an hour ahead or half an hour behind
 * (libfaketime, as `faketime -f`) heartbeat into PostgreSQL. The live ones are never marked stale, and a
 * killed one goes stale after STALE_THRESHOLD like any other: the host clock changes nothing.
 * (Judged by client clocks, the -30m agent would look stale at once and the +1h one would hide
 * its death for an hour.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PgStore } from "../../../src/storage/postgres/index.js";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";
import { REPO_ROOT } from "../../helpers/processes.js";
import { waitFor } from "../../helpers/wait.js";

const THRESHOLD_MS = 1500;
const TSX = pathToFileURL(resolve(REPO_ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/**
 * libfaketime preloaded into node itself: the faketime binary forks, so killing it would leave the
 * agent running. Debian's `faketime` package (see .ci/run).
 */
function libfaketime(): string {
  const lib = ["/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1", "/usr/lib/faketime/libfaketime.so.1"]
    .find((p) => existsSync(p));
  if (!lib) throw new Error("libfaketime is not installed: apt-get install -y faketime");
  return lib;
}

let cluster: PgCluster;
const children: ChildProcess[] = [];
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());
afterEach(async () => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) {
      c.kill("SIGKILL");
      await new Promise((r) => c.once("exit", r));
    }
  }
});

interface Skewed {
  proc: ChildProcess;
  /** The child's Date.now() minus ours when it started. */
  skewMs: Promise<number>;
  active: Promise<void>;
}

function startSkewed(name: string, offset: string, url: string): Skewed {
  const proc = spawn(process.execPath, ["--import", TSX, resolve(REPO_ROOT, "test/fixtures/pg-heartbeat-worker.ts")], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: "", LD_PRELOAD: libfaketime(), FAKETIME: offset, DATABASE_URL: url, AGENT_NAME: name, INTERVAL_MS: "100" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(proc);
  let out = "";
  let err = "";
  proc.stderr!.on("data", (d) => (err += d));
  const line = (re: RegExp) => new Promise<RegExpMatchArray>((res, rej) => {
    proc.stdout!.on("data", (d) => {
      out += d;
      const m = re.exec(out);
      if (m) res(m);
    });
    proc.once("exit", (code) => rej(new Error(`${name} exited (${code}) before ${re}: ${err.slice(-1500)}`)));
  });
  return { proc, skewMs: line(/clock (\d+)\n/).then((m) => Number(m[1]) - Date.now()), active: line(/active\n/).then(() => undefined) };
}

describe("agents with skewed clocks on PostgreSQL", () => {
  it("are judged by the server's clock: live ones stay active, a dead one goes stale", async () => {
    const url = await cluster.freshDatabase();
    const monitor = await PgStore.open({ url });
    try {
      const ahead = startSkewed("ahead", "+1h", url);
      const behind = startSkewed("behind", "-30m", url);
      const doomed = startSkewed("doomed-ahead", "+1h", url);
      // the children really run with those clocks
      expect(await ahead.skewMs).toBeGreaterThan(3_600_000 - 60_000);
      expect(await behind.skewMs).toBeLessThan(-1_800_000 + 60_000);
      await Promise.all([ahead.active, behind.active, doomed.active]);

      // sweep for several thresholds: nobody alive is marked, heartbeats carry the server's time
      const until = Date.now() + 3 * THRESHOLD_MS;
      while (Date.now() < until) {
        expect(await monitor.markStaleAgents(THRESHOLD_MS)).toEqual([]);
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const name of ["ahead", "behind", "doomed-ahead"]) {
        const rec = (await monitor.getAgent(name))!;
        expect(rec.state).toBe("active");
        expect(Math.abs(rec.lastHeartbeat - Date.now())).toBeLessThan(30_000);
      }

      doomed.proc.kill("SIGKILL");
      const killedAt = Date.now();
      let marked: string[] = [];
      await waitFor(async () => {
        marked = (await monitor.markStaleAgents(THRESHOLD_MS)).map((s) => s.name);
        return marked.length > 0;
      }, { timeoutMs: 20_000, intervalMs: 100, message: () => "the killed agent to be marked stale" });
      expect(marked).toEqual(["doomed-ahead"]);
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(THRESHOLD_MS - 200);
      expect((await monitor.getAgent("ahead"))?.state).toBe("active");
      expect((await monitor.getAgent("behind"))?.state).toBe("active");
      expect(await monitor.getTransitions({ to: "stale" })).toHaveLength(1);
    } finally {
      await monitor.close();
    }
  }, 90_000);
});

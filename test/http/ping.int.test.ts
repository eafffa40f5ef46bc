/**
 * The ping protocols, driven with the real `curl` exactly as healthchecks.io's and Uptime Kuma's
 * docs show, against a real server over a real SQLite file: start + success with rid (duration),
 * /fail, /<exit-status>, body limits, unknown names (404) and ?create=1 (201), HEAD/GET/POST,
 * a start without its end going stale by the usual sweep, rate limits, PING_KEY off loopback.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { isConfigError } from "../../src/errors/index.js";
import { startServer, type RunningServer } from "../../src/http/index.js";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { killCliChildren, runCli } from "../helpers/cli.js";
import { captureLogger } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { snapshot } from "./helpers.js";

const KEY = "test-ping-key-0123456789";
const servers: RunningServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  await closeStores();
  await killCliChildren();
  removeTempDirs();
});

interface Curl { code: number; stdout: string; stderr: string }

/** Runs curl; `-w` prints the status on the last line where a test asks for it. */
function curl(args: string[]): Promise<Curl> {
  return new Promise((resolve) => {
    execFile("curl", args, { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout, stderr }));
  });
}

/** curl without -f, for answers that are meant to be errors: `{ status, body }`. */
async function curlStatus(args: string[]): Promise<{ status: number; body: string }> {
  const r = await curl(["-sS", "-m", "10", "-w", "\n%{http_code}", ...args]);
  const i = r.stdout.lastIndexOf("\n");
  return { status: Number(r.stdout.slice(i + 1)), body: r.stdout.slice(0, i) };
}

async function setup(env: Record<string, string> = {}) {
  const dir = makeTempDir("bga-ping-");
  const clock = new ManualClock(Date.now());
  const config = loadConfig({
    DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), HEARTBEAT_INTERVAL: "10", STALE_THRESHOLD: "60", DASHBOARD_PORT: "0", ...env,
  });
  const store = await openTestStore({ path: config.databasePath, clock });
  const server = await startServer({ store, config, logger: captureLogger("ping-test").logger, clock, livePollMs: 100, sampleIntervalMs: 5_000 });
  servers.push(server);
  return { store, config, clock, url: server.url, dir };
}

const HC = ["-fsS", "-m", "10", "--retry", "5"];

describe("healthchecks.io-style pings", () => {
  it("start + success with rid records the run's duration; the API and the body as last message show it", async () => {
    const { store, clock, url } = await setup({ PING_KEY: KEY });
    await store.updateHeartbeat("backup");
    const rid = randomUUID();
    const start = await curl([...HC, `${url}/ping/${KEY}/backup/start?rid=${rid}`]);
    expect(start).toMatchObject({ code: 0, stdout: "OK" });
    clock.advance(1500);
    // another run without rid meanwhile does not steal the pairing
    await curl([...HC, "-o", "/dev/null", `${url}/ping/${KEY}/backup/start`]);
    clock.advance(500);
    const end = await curl([...HC, "--data-raw", "backup done: 12 files", `${url}/ping/${KEY}/backup?rid=${rid}`]);
    expect(end).toMatchObject({ code: 0, stdout: "OK" });

    const pings = await store.getPings("backup");
    expect(pings.map((p) => [p.kind, p.rid, p.durationMs])).toEqual([["success", rid, 2000], ["start", null, null], ["start", rid, null]]);
    expect(pings[0]!.message).toBe("backup done: 12 files");
    const api = (await (await fetch(`${url}/api/agents/backup/pings`)).json()) as { pings: Array<{ kind: string; durationMs: number | null; at: string; message: string | null }> };
    expect(api.pings[0]).toMatchObject({ kind: "success", durationMs: 2000, message: "backup done: 12 files", at: new Date(clock.now()).toISOString() });
    expect((await store.getAgent("backup"))?.state).toBe("active");

    // without rid an end pairs with the start just before it
    await curl([...HC, "-o", "/dev/null", `${url}/ping/${KEY}/backup/start`]);
    clock.advance(700);
    await curl([...HC, "-o", "/dev/null", `${url}/ping/${KEY}/backup/0`]);
    expect((await store.getPings("backup", 1))[0]).toMatchObject({ kind: "success", exitStatus: 0, durationMs: 700 });
  });

  it("/fail and /<exit-status> record failures with the body; 0 is success; other statuses are 400 and write nothing", async () => {
    const { store, url } = await setup({ PING_KEY: KEY });
    await store.updateHeartbeat("nightly");
    expect((await curl([...HC, "--data-raw", "disk full\nmore detail", `${url}/ping/${KEY}/nightly/fail`])).code).toBe(0);
    let self = (await store.getAgent("nightly"))!;
    expect(self).toMatchObject({ state: "error", stateReason: "ping: fail: disk full", errorCount: 1 });
    expect((await store.getErrors({ agent: "nightly" }))[0]!.message).toBe("ping: fail: disk full\ndisk full\nmore detail");

    expect((await curl([...HC, "-o", "/dev/null", `${url}/ping/${KEY}/nightly/0`])).code).toBe(0);
    expect((await store.getAgent("nightly"))!.state).toBe("active");

    // the cron one-liner: the command's exit status as the last path segment
    const shell = await new Promise<number>((resolve) =>
      execFile("sh", ["-c", `(exit 3); curl ${HC.join(" ")} -o /dev/null ${url}/ping/${KEY}/nightly/$?`], (e) => resolve(e ? 1 : 0)));
    expect(shell).toBe(0);
    self = (await store.getAgent("nightly"))!;
    expect(self).toMatchObject({ state: "error", stateReason: "ping: exit status 3", errorCount: 2 });
    expect((await store.getPings("nightly", 1))[0]).toMatchObject({ kind: "fail", exitStatus: 3 });

    const before = snapshot(store);
    for (const bad of ["256", "-1", "1000", "abc", "3.5"]) {
      const res = await curlStatus([`${url}/ping/${KEY}/nightly/${bad}`]);
      expect(res.status, bad).toBe(400);
      expect(res.body).toMatch(/exit status 0-255/);
    }
    expect((await curlStatus([`${url}/ping/${KEY}/nightly?rid=not-a-uuid`])).body).toMatch(/rid must be a UUID/);
    expect((await curlStatus([`${url}/ping/${KEY}/nightly?create=yes`])).status).toBe(400);
    expect((await curlStatus([`${url}/ping/${KEY}/nightly?other=1`])).status).toBe(400);
    expect((await curlStatus([`${url}/ping/${KEY}/%20lead`])).status).toBe(400);
    expect(snapshot(store)).toBe(before);
  });

  it("keeps the first 10,000 bytes of a body (Ping-Body-Limit), refuses a huge one with 413, and /log keeps a message only", async () => {
    const { store, dir, url } = await setup({ PING_KEY: KEY });
    await store.updateHeartbeat("job");
    const exact = join(dir, "exact.txt");
    writeFileSync(exact, "a".repeat(10_000));
    const head = await curl([...HC, "-D", "-", "-o", "/dev/null", "--data-binary", `@${exact}`, `${url}/ping/${KEY}/job`]);
    expect(head.stdout).toMatch(/ping-body-limit: 10000/i);
    expect((await store.getPings("job", 1))[0]!.message).toHaveLength(10_000);

    const long = join(dir, "long.txt");
    writeFileSync(long, "é".repeat(6000)); // 12,000 bytes: cut at 10,000 on a character boundary
    await curl([...HC, "-o", "/dev/null", "--data-binary", `@${long}`, `${url}/ping/${KEY}/job`]);
    expect((await store.getPings("job", 1))[0]!.message).toBe("é".repeat(5000));

    const huge = join(dir, "huge.txt");
    writeFileSync(huge, "x".repeat(200_000));
    const before = snapshot(store);
    expect((await curlStatus(["--data-binary", `@${huge}`, `${url}/ping/${KEY}/job`])).status).toBe(413);
    expect(snapshot(store)).toBe(before);

    const beats = (await store.getAgent("job"))!.heartbeats;
    await curl([...HC, "-o", "/dev/null", "--data-raw", "step 2 of 5", `${url}/ping/${KEY}/job/log`]);
    expect((await store.getPings("job", 1))[0]).toMatchObject({ kind: "log", message: "step 2 of 5" });
    expect((await store.getAgent("job"))!.heartbeats).toBe(beats); // a log is no sign of life
  });

  it("answers HEAD, GET and POST; an unknown name is 404 and writes nothing; ?create=1 registers it (201)", async () => {
    const { store, url } = await setup({ PING_KEY: KEY });
    const before = snapshot(store);
    const unknown = await curlStatus([`${url}/ping/${KEY}/newjob`]);
    expect(unknown).toEqual({ status: 404, body: "not found" });
    expect((await curlStatus([`${url}/ping/wrong-key-0123456789/newjob`])).status).toBe(404);
    expect((await curl([...HC, `${url}/ping/${KEY}/newjob`])).code).toBe(22); // curl -f: an HTTP error
    expect(snapshot(store)).toBe(before);

    expect(await curlStatus([`${url}/ping/${KEY}/newjob?create=1`])).toEqual({ status: 201, body: "Created" });
    expect(await store.getAgent("newjob")).toMatchObject({ state: "active", heartbeats: 1 });
    expect(await curlStatus([`${url}/ping/${KEY}/newjob?create=1`])).toEqual({ status: 200, body: "OK" });

    const headRes = await curl(["-fsS", "-m", "10", "-I", `${url}/ping/${KEY}/newjob`]);
    expect(headRes.code).toBe(0);
    expect(headRes.stdout).toMatch(/^HTTP\/1\.1 200/);
    expect((await curl([...HC, "-X", "POST", `${url}/ping/${KEY}/newjob`])).stdout).toBe("OK");
    expect((await curl([...HC, `${url}/ping/${KEY}/newjob`])).stdout).toBe("OK");
    expect((await store.getPings("newjob")).map((p) => p.kind)).toEqual(["success", "success", "success", "success", "success"]);
    expect((await store.getAgent("newjob"))!.heartbeats).toBe(5);
  });

  it("a start without its end within STALE_THRESHOLD is marked stale by the usual sweep; an end in time keeps it active", async () => {
    const { store, config, clock, url } = await setup({ PING_KEY: KEY });
    await store.updateHeartbeat("etl");
    await curl([...HC, "-o", "/dev/null", `${url}/ping/${KEY}/etl/start`]);
    clock.advance(config.staleThresholdMs / 2);
    await curl([...HC, "-o", "/dev/null", `${url}/ping/${KEY}/etl/log`]); // progress notes do not keep it alive
    clock.advance(config.staleThresholdMs / 2 + 1);
    expect((await store.markStaleAgents(config.staleThresholdMs)).map((s) => s.name)).toEqual(["etl"]);
    expect((await store.getAgent("etl"))!.state).toBe("stale");

    // the late end brings it back and still gets its duration
    await curl([...HC, "-o", "/dev/null", `${url}/ping/${KEY}/etl`]);
    expect((await store.getAgent("etl"))!.state).toBe("active");
    expect((await store.getPings("etl", 1))[0]!.durationMs).toBe(config.staleThresholdMs + 1);

    await curl([...HC, "-o", "/dev/null", `${url}/ping/${KEY}/etl/start`]);
    clock.advance(config.staleThresholdMs - 1000);
    await curl([...HC, "-o", "/dev/null", `${url}/ping/${KEY}/etl`]);
    clock.advance(config.staleThresholdMs - 1000);
    expect(await store.markStaleAgents(config.staleThresholdMs)).toEqual([]);
    expect((await store.getAgent("etl"))!.state).toBe("active");
  });

  it("on loopback without PING_KEY, /ping/<name> works", async () => {
    const { store, url } = await setup();
    expect(await curlStatus([`${url}/ping/solo/start?create=1`])).toEqual({ status: 201, body: "Created" });
    expect((await curl([...HC, `${url}/ping/solo`])).stdout).toBe("OK");
    expect((await store.getPings("solo")).map((p) => p.kind)).toEqual(["success", "start"]);
  });

  it("rate-limits per client address: 429 with Retry-After, and nothing written", async () => {
    const { store, url } = await setup({ PING_KEY: KEY, PING_RATE_LIMIT: "3" });
    await store.updateHeartbeat("busy");
    for (let i = 0; i < 3; i++) expect((await curlStatus([`${url}/ping/${KEY}/busy`])).status).toBe(200);
    const before = snapshot(store);
    const limited = await curl(["-sS", "-m", "10", "-D", "-", `${url}/ping/${KEY}/busy`]);
    expect(limited.stdout).toMatch(/^HTTP\/1\.1 429/);
    expect(limited.stdout).toMatch(/retry-after: \d+/i);
    expect((await curlStatus([`${url}/api/push/whatever-token?status=up`])).status).toBe(429);
    expect(snapshot(store)).toBe(before);
  });
});

describe("PING_KEY off loopback", () => {
  it("start-up refuses a non-loopback bind without PING_KEY, naming it; with it, keyed pings work", async () => {
    const store = await openTestStore();
    const dir = makeTempDir();
    const config = loadConfig({ DATABASE_PATH: store.path, LOG_DIR: join(dir, "logs"), DASHBOARD_HOST: "0.0.0.0", DASHBOARD_PORT: "0", API_TOKEN: "a-long-enough-api-token" });
    const err = await startServer({ store, config, logger: captureLogger().logger }).catch((e: unknown) => e);
    expect(isConfigError(err)).toBe(true);
    expect((err as Error).message).toMatch(/PING_KEY/);

    const ok = await startServer({ store, config: { ...config, pingKey: KEY }, logger: captureLogger().logger });
    servers.push(ok);
    const local = `http://127.0.0.1:${ok.port}`;
    expect(await curlStatus([`${local}/ping/${KEY}/remote?create=1`])).toEqual({ status: 201, body: "Created" });
    expect((await curlStatus([`${local}/ping/remote`])).status).toBe(404);
  });

  it("bg-agents dashboard exits 2 with a line naming PING_KEY", async () => {
    const dir = makeTempDir();
    const db = join(dir, "state.db");
    await (await SharedState.open({ path: db })).close();
    const r = await runCli(["dashboard", "--host", "0.0.0.0", "--port", "0"], { cwd: dir, env: { DATABASE_PATH: db, LOG_DIR: join(dir, "logs"), API_TOKEN: "a-long-enough-api-token" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PING_KEY/);
  });
});

describe("Uptime Kuma-style push", () => {
  it("maps a token to an agent: up is a heartbeat with its ping time, anything else a failure; unknown tokens 404", async () => {
    const { store, url } = await setup({ PUSH_TOKENS: "tokenAAAA1=kuma-a, tokenBBBB2=kuma-b" });
    const up = await curl(["-fsS", "-m", "10", "--retry", "5", `${url}/api/push/tokenAAAA1?status=up&msg=OK&ping=`]);
    expect(JSON.parse(up.stdout)).toEqual({ ok: true });
    expect(await store.getAgent("kuma-a")).toMatchObject({ state: "active", heartbeats: 1 });
    await curl(["-fsS", "-m", "10", `${url}/api/push/tokenAAAA1?status=up&msg=OK&ping=42`]);
    expect((await store.getAgent("kuma-a"))!.heartbeatLatencyMs).toBe(42);
    expect((await store.getPings("kuma-a", 1))[0]).toMatchObject({ kind: "success", message: "OK" });

    const down = await curl(["-fsS", "-m", "10", "-X", "POST", `${url}/api/push/tokenBBBB2?status=down&msg=db%20unreachable`]);
    expect(JSON.parse(down.stdout)).toEqual({ ok: true });
    expect(await store.getAgent("kuma-b")).toMatchObject({ state: "error", stateReason: "push: fail: db unreachable", errorCount: 1 });
    await curl(["-fsS", "-m", "10", "-X", "PUT", `${url}/api/push/tokenBBBB2`]); // no status: up, as Kuma
    expect((await store.getAgent("kuma-b"))!.state).toBe("active");

    const before = snapshot(store);
    expect(await curlStatus([`${url}/api/push/nope-nope-nope?status=up`])).toEqual({ status: 404, body: JSON.stringify({ ok: false, msg: "Monitor not found or not active." }) });
    const bad = await curlStatus([`${url}/api/push/tokenAAAA1?status=up&ping=fast`]);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, msg: expect.stringMatching(/ping must be a number/) });
    expect(snapshot(store)).toBe(before);
  });

  it("a bad PUSH_TOKENS stops loadConfig with a line naming it", () => {
    for (const bad of ["short=agent", "no-equals-sign-here", "tokenAAAA1=a,tokenAAAA1=b", "tokenAAAA1=\u0007"]) {
      let err: unknown;
      try {
        loadConfig({ PUSH_TOKENS: bad });
      } catch (e) {
        err = e;
      }
      expect(isConfigError(err), bad).toBe(true);
      expect((err as Error).message).toMatch(/^PUSH_TOKENS=\(hidden\) is invalid/);
    }
  });
});

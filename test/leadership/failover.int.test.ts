/**
 * Two real monitor processes (`src/agents/heartbeat/main.ts`) on one real PostgreSQL server, one of
 * them on a second "host" (a network namespace joined by a veth pair). Exactly one leads; when it
 * is SIGKILLed, SIGSTOPped or cut off (veth down) the standby takes over and marks a silent agent
 * stale; the old leader, woken or reconnected, does not act: every outage gives exactly one
 * active → stale transition, read from the transitions table.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MONITOR_LEASE } from "../../src/leadership/index.js";
import { PgStore } from "../../src/storage/postgres/index.js";
import { useClusterWithSecondHost } from "../helpers/second-host.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { killChildren, spawnTs, type Child } from "../helpers/processes.js";
import { sleep, waitFor } from "../helpers/wait.js";

const HEARTBEAT_S = 0.2;
const STALE_S = 1.5;
const LEASE_S = 1;
/** Process start-up, scheduling on a shared 2-core machine. */
const SLACK_MS = 4000;
const TAKEOVER_BOUND_MS = (LEASE_S + STALE_S + HEARTBEAT_S) * 1000 + SLACK_MS;

const site = useClusterWithSecondHost();
let logDir: string;
beforeAll(() => {
  logDir = makeTempDir("bga-failover-");
});
afterEach(killChildren);
afterAll(removeTempDirs);

const settings = { HEARTBEAT_INTERVAL: String(HEARTBEAT_S), STALE_THRESHOLD: String(STALE_S), LEADER_LEASE: String(LEASE_S), LOG_LEVEL: "info" };

function monitor(name: string, url: string, inNs = false): Child {
  return spawnTs("src/agents/heartbeat/main.ts", {
    env: { ...settings, DATABASE_URL: inNs ? site.remote(url) : url, AGENT_NAME: name, LOG_DIR: join(logDir, name) },
    wrap: inNs ? site.ns.exec([]) : undefined,
  });
}

function worker(name: string, url: string): Child {
  return spawnTs("test/fixtures/pg-heartbeat-worker.ts", { env: { DATABASE_URL: url, AGENT_NAME: name, INTERVAL_MS: "100" } });
}

async function leaderPid(store: PgStore): Promise<number | undefined> {
  return (await store.leaseMembers(MONITOR_LEASE, 60_000)).find((m) => m.role === "leader")?.pid;
}

async function staleTransitions(store: PgStore, agent: string): Promise<number> {
  return (await store.getTransitions({ agent, from: "active", to: "stale" })).length;
}

/** Starts A (waits until it leads), then B (waits until it stands by), and an active agent `victim`. */
async function twoMonitors(url: string, store: PgStore, aInNs = false) {
  const a = monitor("monitor-a", url, aInNs);
  await waitFor(async () => (await leaderPid(store)) === a.pid, { timeoutMs: 30_000, message: () => `A never led: ${a.stderr.slice(-1500)}` });
  const b = monitor("monitor-b", url);
  await waitFor(async () => (await store.leaseMembers(MONITOR_LEASE, 60_000)).some((m) => m.pid === b.pid && m.role === "standby"),
    { timeoutMs: 30_000, message: () => `B never stood by: ${b.stderr.slice(-1500)}` });
  const victim = worker("victim", url);
  await victim.waitForLine(/active\n/);
  return { a, b, victim };
}

async function killAndTimeStale(store: PgStore, victim: Child, agent = "victim"): Promise<number> {
  victim.kill("SIGKILL");
  await victim.exited;
  const t0 = Date.now();
  await waitFor(async () => (await store.getAgent(agent))?.state === "stale", { timeoutMs: TAKEOVER_BOUND_MS + 10_000 });
  return Date.now() - t0;
}

describe("two monitors on one PostgreSQL database", () => {
  it("SIGKILL the leader: the standby takes over and marks a silent agent stale in time, once", async () => {
    const url = await site.cluster.freshDatabase();
    const store = await PgStore.open({ url });
    try {
      const { a, b, victim } = await twoMonitors(url, store);
      a.kill("SIGKILL");
      const took = await killAndTimeStale(store, victim);
      expect(took).toBeLessThan(TAKEOVER_BOUND_MS);
      expect(await leaderPid(store)).toBe(b.pid);
      expect(await staleTransitions(store, "victim")).toBe(1);
      // the dead leader is itself an agent gone silent: the new leader marks it
      await waitFor(async () => (await store.getAgent("monitor-a"))?.state === "stale", { timeoutMs: TAKEOVER_BOUND_MS });
      expect(b.running).toBe(true);
    } finally {
      await store.close();
    }
  });

  it("SIGSTOP the leader: the standby takes over; SIGCONT, and the old leader does not act", async () => {
    const url = await site.cluster.freshDatabase();
    const store = await PgStore.open({ url });
    try {
      const { a, b, victim } = await twoMonitors(url, store);
      a.kill("SIGSTOP");
      await waitFor(async () => (await leaderPid(store)) === b.pid, { timeoutMs: TAKEOVER_BOUND_MS });
      const took = await killAndTimeStale(store, victim);
      expect(took).toBeLessThan(TAKEOVER_BOUND_MS);
      a.kill("SIGCONT");
      // the woken process renews, is refused, and stays standby; a second silent agent is still marked once
      await waitFor(async () => (await store.leaseMembers(MONITOR_LEASE, 60_000)).some((m) => m.pid === a.pid && m.role === "standby" && Date.now() - m.seenAt < 2000),
        { timeoutMs: 15_000, message: () => `A never came back as standby: ${a.stderr.slice(-1500)}` });
      const second = worker("second", url);
      await second.waitForLine(/active\n/);
      await killAndTimeStale(store, second, "second");
      await sleep(3 * LEASE_S * 1000);
      expect(await staleTransitions(store, "victim")).toBe(1);
      expect(await staleTransitions(store, "second")).toBe(1);
      expect(await leaderPid(store)).toBe(b.pid);
      expect(a.stdout + a.stderr).toMatch(/standby for monitor/);
    } finally {
      await store.close();
    }
  });

  it("cut the leader's network (veth down): the standby takes over; healed, the old leader does not act", async () => {
    const url = await site.cluster.freshDatabase();
    const store = await PgStore.open({ url });
    try {
      const { a, b, victim } = await twoMonitors(url, store, true);
      expect((await store.getAgent("monitor-a"))!.state).toBe("active");
      // two hosts: the leader in the namespace under its own host name, the standby here
      expect((await store.leaseMembers(MONITOR_LEASE, 60_000)).map((m) => [m.agent, m.host, m.role]))
        .toEqual([["monitor-a", site.ns.hostName, "leader"], ["monitor-b", hostname(), "standby"]]);
      site.ns.cut();
      try {
        await waitFor(async () => (await leaderPid(store)) === b.pid, { timeoutMs: TAKEOVER_BOUND_MS });
        const took = await killAndTimeStale(store, victim);
        expect(took).toBeLessThan(TAKEOVER_BOUND_MS);
        // cut off, A's heartbeats stop too: the new leader marks it stale (once)
        await waitFor(async () => (await store.getAgent("monitor-a"))?.state === "stale", { timeoutMs: TAKEOVER_BOUND_MS });
      } finally {
        site.ns.heal();
      }
      // back on the network: A's heartbeats arrive again, it stays standby, nothing is marked twice
      await waitFor(async () => (await store.getAgent("monitor-a"))?.state === "active", { timeoutMs: 60_000, message: () => a.stderr.slice(-1500) });
      await sleep(3 * LEASE_S * 1000);
      expect(await staleTransitions(store, "victim")).toBe(1);
      expect(await staleTransitions(store, "monitor-a")).toBe(1);
      expect(await leaderPid(store)).toBe(b.pid);
    } finally {
      await store.close();
    }
  });
});

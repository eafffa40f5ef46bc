/**
 * Two hosts on one PostgreSQL server: agent processes here and in a network namespace with its own
 * host name (a veth pair, PostgreSQL listening on the host side) heartbeat into one database, one
 * monitor watches them all. A killed agent on either host is marked stale within
 * STALE_THRESHOLD + HEARTBEAT_INTERVAL (+ slack), once; the API lists agents of both hosts.
 */
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config/index.js";
import { startServer } from "../../../src/http/index.js";
import { PgStore } from "../../../src/storage/postgres/index.js";
import { captureLogger } from "../../helpers/log-capture.js";
import { useClusterWithSecondHost } from "../../helpers/second-host.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";
import { killChildren, spawnTs, type Child } from "../../helpers/processes.js";
import { waitFor } from "../../helpers/wait.js";

const HEARTBEAT_S = 0.2;
const STALE_S = 1.5;
const SLACK_MS = 3000;

const site = useClusterWithSecondHost();
let logDir: string;
beforeAll(() => {
  logDir = makeTempDir("bga-hosts-");
});
afterEach(killChildren);
afterAll(removeTempDirs);

describe("agents on two hosts, one PostgreSQL database", () => {
  it("heartbeat into one database; a killed agent on either host goes stale in time, once; the API lists both hosts", async () => {
    const url = await site.cluster.freshDatabase();
    const remoteUrl = site.remote(url);
    const store = await PgStore.open({ url });
    const settings = { HEARTBEAT_INTERVAL: String(HEARTBEAT_S), STALE_THRESHOLD: String(STALE_S) };
    const server = await startServer({
      store, config: loadConfig({ ...settings, DATABASE_URL: url }), logger: captureLogger().logger, host: "127.0.0.1", port: 0, monitorName: "monitor",
    });
    try {
      spawnTs("src/agents/heartbeat/main.ts", { env: { ...settings, DATABASE_URL: url, AGENT_NAME: "monitor", LOG_DIR: join(logDir, "monitor") } });
      const agents: Record<string, Child> = {};
      for (const name of ["here-1", "here-2"]) agents[name] = spawnTs("test/fixtures/pg-heartbeat-worker.ts", { env: { DATABASE_URL: url, AGENT_NAME: name } });
      for (const name of ["there-1", "there-2"]) {
        agents[name] = spawnTs("test/fixtures/pg-heartbeat-worker.ts", { env: { DATABASE_URL: remoteUrl, AGENT_NAME: name }, wrap: site.ns.exec([]) });
      }
      for (const c of Object.values(agents)) await c.waitForLine(/active\n/, 30_000);
      const hosts = async () => Object.fromEntries((await store.getRegisteredAgents()).map((a) => [a.name, a.host]));
      expect(await hosts()).toMatchObject({ "here-1": hostname(), "here-2": hostname(), "there-1": site.ns.hostName, "there-2": site.ns.hostName });
      await waitFor(async () => (await store.getAgent("monitor"))?.state === "active", { timeoutMs: 30_000 });

      const listed = (await (await fetch(`${server.url}/api/agents`)).json()) as Array<{ name: string; host: string | null }>;
      expect(new Set(listed.map((a) => a.host))).toEqual(new Set([hostname(), site.ns.hostName]));
      const monitors = (await (await fetch(`${server.url}/api/monitors`)).json()) as { monitors: Array<{ agent: string; host: string; role: string }> };
      expect(monitors.monitors).toMatchObject([{ agent: "monitor", host: hostname(), role: "leader" }]);

      for (const name of ["here-1", "there-1"]) agents[name]!.kill("SIGKILL");
      const t0 = Date.now();
      await waitFor(async () => {
        const a = await store.getRegisteredAgents({ states: ["stale"] });
        return ["here-1", "there-1"].every((n) => a.some((x) => x.name === n));
      }, { timeoutMs: 30_000 });
      expect(Date.now() - t0).toBeLessThan((STALE_S + HEARTBEAT_S) * 1000 + SLACK_MS);
      for (const name of ["here-1", "there-1"]) expect(await store.getTransitions({ agent: name, from: "active", to: "stale" })).toHaveLength(1);
      for (const name of ["here-2", "there-2"]) expect((await store.getAgent(name))!.state).toBe("active");
    } finally {
      await server.close();
      await store.close();
    }
  });
});

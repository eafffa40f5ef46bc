/**
 * SIGKILL the notifier while a message is on the wire, start it again: every transition reaches
 * every channel, and after the receiver drops repeats by idempotency key, none arrives twice.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/index.js";
import { openStore } from "../../src/storage/index.js";
import { killChildren, spawnTs, type Child } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { httpReceiver, type HttpReceiver } from "./receivers.js";

afterEach(async () => {
  await killChildren();
  removeTempDirs();
});

/** Transition ids in the messages a receiver kept, once per idempotency key (as a receiver de-duplicates). */
function deduplicated(rx: HttpReceiver): number[] {
  const byKey = new Map<string, { changes: { transitionId: number }[] }>();
  for (const r of rx.requests) byKey.set(String(r.headers["idempotency-key"]), JSON.parse(r.body));
  return [...byKey.values()].flatMap((m) => m.changes.map((c) => c.transitionId)).sort((x, y) => x - y);
}

describe("notifier crash", () => {
  it("resumes after SIGKILL mid-send without losing a transition or, after de-duplication, repeating one", async () => {
    const dir = makeTempDir();
    const dbPath = join(dir, "state.db");
    const store = await openStore(loadConfig({}, { databasePath: dbPath }));
    const a = await httpReceiver();
    const b = await httpReceiver();
    a.delayMs = 400;
    const env = { DATABASE_PATH: dbPath, NOTIFY_URLS: `${a.url}/a,${b.url}/b`, NOTIFY_GROUP_WINDOW: "0.05", LOG_DIR: join(dir, "logs") };
    const start = async () => {
      const c = spawnTs("test/notify/fixtures/notifier-process.ts", { env });
      await c.waitForLine(/notifier ready/);
      return c;
    };
    let child: Child = await start();
    await waitFor(async () => (await store.notify.readCheckpoint()).tickAt !== null);
    const names = Array.from({ length: 12 }, (_, i) => `agent-${i}`);
    for (const n of names) await store.registerAgent(n);
    for (const [i, n] of names.entries()) {
      await store.updateAgentState(n, "error", `boom ${i}`);
      await new Promise((r) => setTimeout(r, 150));
      if (i === 5) {
        // a request to `a` has arrived and is not answered yet: kill now
        const arrived = a.arrivals.length;
        await waitFor(() => a.arrivals.length > arrived || a.arrivals.length > a.requests.length);
        child.kill("SIGKILL");
        await child.exited;
        child = await start();
      }
    }
    const errorIds = (await store.getTransitions({ to: "error" })).map((t) => t.id);
    expect(errorIds).toHaveLength(names.length);
    for (const rx of [a, b]) {
      await waitFor(() => deduplicated(rx).length >= names.length, { timeoutMs: 30_000, message: () => `got ${deduplicated(rx)} of ${errorIds}` });
      expect(deduplicated(rx)).toEqual(errorIds);
    }
    // the kill cut a send short: `a` got that message again after the restart (at least once), `b` never twice
    expect(a.requests.length).toBeGreaterThan(new Set(a.requests.map((r) => r.headers["idempotency-key"])).size);
    expect(b.requests.length).toBe(new Set(b.requests.map((r) => r.headers["idempotency-key"])).size);
    child.kill("SIGTERM");
    await store.close();
    await a.close();
    await b.close();
  });
});

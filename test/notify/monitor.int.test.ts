/**
 * The notifier inside the real monitor process (`bg-agents monitor`): agents that go silent are
 * reported stale to a real receiver; the monitor stopped for longer than STALE_THRESHOLD while the
 * agents keep heartbeating reports nobody stale, and one message says the monitor was down.
 * A malformed NOTIFY_URLS stops start-up with a line that names the entry.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { killCliChildren, runCli, startCli } from "../helpers/cli.js";
import { closeStores, openTestStore } from "../helpers/store.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { httpReceiver, type HttpReceiver } from "./receivers.js";

let rx: HttpReceiver | undefined;
afterEach(async () => {
  await killCliChildren();
  await rx?.close();
  await closeStores();
  removeTempDirs();
});

const events = (r: HttpReceiver) => r.requests.map((q) => JSON.parse(q.body) as { event: string; title: string; changes: { agent: string }[] });

describe("bg-agents monitor with NOTIFY_URLS", () => {
  it("reports agents that go silent, and its own downtime without calling live agents stale", async () => {
    const dir = makeTempDir();
    const path = join(dir, "state.db");
    const store = await openTestStore({ path });
    rx = await httpReceiver();
    const env = { DATABASE_PATH: path, NOTIFY_URLS: `${rx.url}/hook`, NOTIFY_GROUP_WINDOW: "0.2", HEARTBEAT_INTERVAL: "0.2", STALE_THRESHOLD: "1.5", LOG_DIR: join(dir, "logs") };
    const names = ["w1", "w2", "w3", "w4"];
    let beating = new Set(names);
    const beat = setInterval(() => { for (const n of beating) void store.updateHeartbeat(n); }, 100);
    try {
      let monitor = startCli(["monitor"], { cwd: dir, env });
      await waitFor(async () => (await store.notify.readCheckpoint()).tickAt !== null, { timeoutMs: 30_000 });
      beating = new Set(["w3", "w4"]);
      await waitFor(() => events(rx!).some((e) => e.event === "stale"), { timeoutMs: 20_000 });
      const stale = events(rx!).filter((e) => e.event === "stale").flatMap((e) => e.changes.map((c) => c.agent)).sort();
      expect(stale).toEqual(["w1", "w2"]);
      // the monitor goes away for twice the threshold; the live agents keep heartbeating
      monitor.proc.kill("SIGTERM");
      await monitor.done;
      await new Promise((r) => setTimeout(r, 3_000));
      const before = rx!.requests.length;
      monitor = startCli(["monitor"], { cwd: dir, env });
      await waitFor(() => events(rx!).some((e) => e.event === "monitor"), { timeoutMs: 30_000 });
      await new Promise((r) => setTimeout(r, 1_500));
      const after = events(rx!).slice(before);
      expect(after.map((e) => e.event)).toEqual(["monitor"]);
      expect(after[0]!.title).toMatch(/^The monitor was down for \d+ s$/);
      expect((await store.getAgent("w3"))!.state).toBe("active");
      monitor.proc.kill("SIGTERM");
      expect((await monitor.done).code).toBe(0);
    } finally {
      clearInterval(beat);
    }
  }, 120_000);

  it("refuses a malformed NOTIFY_URLS entry at start-up, naming it (exit 2)", async () => {
    const dir = makeTempDir();
    const r = await runCli(["monitor"], { cwd: dir, env: { DATABASE_PATH: join(dir, "s.db"), NOTIFY_URLS: "https://ok.example/x,smtp://mail.example.org?to=a@b.c" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/NOTIFY_URLS entry 2 \(smtp:\/\/mail\.example\.org\??\/?\??to=a@b\.c\) is invalid: missing \?from=/);
  });
});

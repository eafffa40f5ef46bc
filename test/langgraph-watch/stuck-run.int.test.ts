/**
 * A LangGraph dev server killed mid-run: the real `langgraphjs dev` runs a graph whose node sleeps
 * for minutes, is SIGKILLed in the middle and started again on the same port and data dir. The run
 * comes back `running` with no worker behind it (FACTS.md), and the watcher behind our real HTTP
 * server reports it stuck once the bound has passed (the watcher's clock is moved on, so the test
 * does not wait out the bound). The server being down is one log line and a report that says so.
 * The cancel action: runs.cancel ends a live run, cannot end the orphan (the JS server only logs
 * "Attempted to cancel non-pending run"), and deleting the stuck run unblocks its thread.
 */
import { Client } from "@langchain/langgraph-sdk";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Clock } from "../../src/clock/index.js";
import { systemClock } from "../../src/clock/index.js";
import { LangGraphWatcher, type FindingView, type LangGraphRunsView } from "../../src/langgraph-watch/index.js";
import { startDevServer, stopDevServers } from "../helpers/langgraph-dev.js";
import { killCliChildren, parseJson, runCli } from "../helpers/cli.js";
import { captureLogger } from "../helpers/log-capture.js";
import { closeStores } from "../helpers/store.js";
import { removeTempDirs } from "../helpers/temp-dir.js";
import { waitFor } from "../helpers/wait.js";
import { closeServers, startTestServer } from "../http/helpers.js";

const TOKEN = "a-token-of-sixteen-chars";
const STUCK_AFTER_MS = 30_000;

afterAll(async () => {
  await killCliChildren();
  await closeServers();
  await stopDevServers();
  await closeStores();
  removeTempDirs();
}, 60_000);

/** A run's status in the dev server's saved state (superjson: `{ json: { runs: { [id]: run } } }`). */
function persistedRunStatus(dir: string, runId: string): string | undefined {
  try {
    const saved = JSON.parse(readFileSync(join(dir, ".langgraph_api/.langgraphjs_ops.json"), "utf8")) as { json?: { runs?: Record<string, { status?: string }> } };
    return saved.json?.runs?.[runId]?.status;
  } catch {
    return undefined; // not written yet, or caught mid-write
  }
}

/** The real clock, plus `shift` ms: moving it on stands in for waiting out the bound. */
function shiftedClock(): Clock & { shift: number } {
  const c = { shift: 0, now: () => Date.now() + c.shift, sleep: systemClock.sleep };
  return c;
}

describe("the LangGraph watcher and a dev server killed mid-run", () => {
  it("reports the orphaned run stuck after the server is back, and the cancel action unblocks its thread", async () => {
    const dev = await startDevServer({ graphs: { blocking: "./test/langgraph-watch/fixtures/blocking-graph.ts:graph" } });
    const sdk = new Client({ apiUrl: dev.url, apiKey: null });
    const clock = shiftedClock();
    const { logger, entries } = captureLogger("dashboard-test");
    const watcher = new LangGraphWatcher({ apiUrl: dev.url, stuckAfterMs: STUCK_AFTER_MS, pollMs: 0, logger, clock, cancelSettleMs: 5_000 });
    const api = await startTestServer({ API_TOKEN: TOKEN }, { langgraph: watcher });
    const runs = async (): Promise<LangGraphRunsView> => (await fetch(`${api.url}/api/langgraph/runs`)).json() as Promise<LangGraphRunsView>;
    const findingOf = (r: LangGraphRunsView, runId: string): FindingView | undefined => r.findings.find((f) => f.runId === runId);
    const cancel = (threadId: string, runId: string, body: unknown, token: string | null = TOKEN) =>
      fetch(`${api.url}/api/langgraph/threads/${threadId}/runs/${runId}/cancel`, {
        method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body),
      });

    // two runs whose node sleeps ten minutes: one to cancel while the server lives, one to orphan
    const live = await sdk.threads.create();
    const orphan = await sdk.threads.create();
    const liveMarker = join(dev.dir, "live.started");
    const orphanMarker = join(dev.dir, "orphan.started");
    const liveRun = await sdk.runs.create(live.thread_id, "blocking", { input: { sleepMs: 600_000, marker: liveMarker } });
    await waitFor(() => existsSync(liveMarker), { timeoutMs: 60_000 });
    const orphanRun = await sdk.runs.create(orphan.thread_id, "blocking", { input: { sleepMs: 600_000, marker: orphanMarker } });
    // both runs are inside their node (the marker files) before anything else happens
    await waitFor(() => existsSync(orphanMarker), { timeoutMs: 60_000 });

    const before = await runs();
    expect(before.reachable).toBe(true);
    expect(findingOf(before, liveRun.run_id)).toMatchObject({ kind: "running", status: "running", threadId: live.thread_id, graphId: "blocking" });
    const orphanBefore = findingOf(before, orphanRun.run_id)!;
    expect(orphanBefore).toMatchObject({ kind: "running", status: "running", threadId: orphan.thread_id });

    // a run that progresses is not deleted; without the token nothing is cancelled
    const notStuck = await cancel(live.thread_id, liveRun.run_id, { mode: "delete" });
    expect(notStuck.status).toBe(409);
    expect(await notStuck.json()).toMatchObject({ error: "LANGGRAPH_RUN_NOT_STUCK", runStatus: "running" });
    const noToken = await cancel(live.thread_id, liveRun.run_id, {}, null);
    expect(noToken.status).toBe(401);
    expect((await sdk.runs.get(live.thread_id, liveRun.run_id)).status).toBe("running");
    // runs.cancel ends a run whose worker is alive
    const interrupted = await cancel(live.thread_id, liveRun.run_id, { mode: "interrupt" });
    expect(interrupted.status).toBe(200);
    expect(await interrupted.json()).toMatchObject({ ok: true, outcome: "cancelled", status: "interrupted" });

    // the server writes its state to .langgraph_api/ 3 s after the last call that touched it (each
    // call moves that back): with no calls meanwhile, wait until the file holds the orphan `running`
    await waitFor(() => persistedRunStatus(dev.dir, orphanRun.run_id) === "running", { timeoutMs: 20_000, intervalMs: 250 });

    await dev.kill();
    const down1 = await runs();
    const down2 = await runs();
    expect(down1.reachable).toBe(false);
    expect(down1.error).toMatch(/fetch failed|ECONNREFUSED/);
    expect(findingOf(down2, orphanRun.run_id)?.kind).toBe("running"); // the last findings stay shown
    const downLines = entries.filter((e) => e.level === "warn" && /reading the LangGraph server/.test(e.message));
    expect(downLines).toHaveLength(1);
    expect(downLines[0]!.message).toContain(dev.url);

    const again = await startDevServer({ dir: dev.dir, port: dev.port });
    const back = await runs();
    expect(back.reachable).toBe(true);
    expect(entries.some((e) => e.level === "info" && /LangGraph server .* works again/.test(e.message))).toBe(true);
    // the orphan is still `running`, and nothing about it moved across the restart
    const orphanBack = findingOf(back, orphanRun.run_id)!;
    expect(orphanBack).toMatchObject({ kind: "running", status: "running" });
    expect(orphanBack.lastProgressAt).toBe(orphanBefore.lastProgressAt);
    expect((await sdk.threads.get(orphan.thread_id)).status).toBe("busy");

    // past the bound (no progress since before the kill): stuck
    clock.shift = STUCK_AFTER_MS + 1_000;
    const stuck = await runs();
    expect(findingOf(stuck, orphanRun.run_id)).toMatchObject({ kind: "stuck-run", status: "running", threadId: orphan.thread_id });
    expect(stuck.counts.stuck).toBe(1);
    expect(findingOf(stuck, orphanRun.run_id)!.reason).toMatch(/without progress/);
    // the CLI, on the real clock, with a bound the orphan passed at the restart already
    const cli = await runCli(["langgraph-runs", "--url", again.url, "--stuck-after", "1s", "--json"], { cwd: dev.dir });
    expect(cli.code, cli.stderr).toBe(1);
    expect(parseJson<LangGraphRunsView>(cli).findings).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "stuck-run", runId: orphanRun.run_id })]));
    const table = await runCli(["langgraph-runs", "--url", again.url, "--stuck-after", "1s"], { cwd: dev.dir });
    expect(table.stdout).toMatch(/1 stuck, 0 errored/);
    expect(table.stdout).toMatch(new RegExp(`stuck\\s+${orphan.thread_id}\\s+${orphanRun.run_id}\\s+blocking\\s+running`));

    // runs.cancel is accepted but no worker holds the run: it stays running
    const still = await cancel(orphan.thread_id, orphanRun.run_id, {});
    expect(still.status).toBe(409);
    expect(await still.json()).toMatchObject({ error: "LANGGRAPH_RUN_STILL_ACTIVE", runStatus: "running" });
    expect(again.output()).toMatch(/Attempted to cancel non-pending run/);
    // deleting the stuck run unblocks the thread: a new run on it runs to the end
    const deleted = await cancel(orphan.thread_id, orphanRun.run_id, { mode: "delete" });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toMatchObject({ ok: true, outcome: "deleted", status: "running" });
    const afterDelete = await runs();
    expect(findingOf(afterDelete, orphanRun.run_id)).toBeUndefined();
    const next = await sdk.runs.create(orphan.thread_id, "blocking", { input: { sleepMs: 10 } });
    await sdk.runs.join(orphan.thread_id, next.run_id);
    expect((await sdk.runs.get(orphan.thread_id, next.run_id)).status).toBe("success");
    expect((await sdk.threads.get(orphan.thread_id)).status).toBe("idle");
    const clear = await runs();
    expect(clear.findings.filter((f) => f.threadId === orphan.thread_id)).toEqual([]);
  }, 300_000);
});

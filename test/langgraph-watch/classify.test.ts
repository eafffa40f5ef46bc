/** The watcher's classification on hand-made snapshots: what counts as progress, stuck, errored and busy. */
import { describe, expect, it } from "vitest";
import { classify, countFindings, lastProgressAt, type ServerRun, type ServerThread } from "../../src/langgraph-watch/index.js";

const T0 = 1_800_000_000_000;
const BOUND = 60_000;
const at = (s: number) => T0 + s * 1000;

const run = (over: Partial<ServerRun> = {}): ServerRun => ({
  runId: "r1", threadId: "t1", assistantId: "a1", status: "running", createdAt: at(0), updatedAt: at(0), ...over,
});
const thread = (over: Partial<ServerThread> = {}): ServerThread => ({
  threadId: "t1", status: "busy", updatedAt: at(0), graphId: "g", runs: [run()], ...over,
});
const classifyAt = (s: number, threads: ServerThread[]) => classify({ threads }, { now: at(s), stuckAfterMs: BOUND });

describe("lastProgressAt", () => {
  it("is the newest of the run's update, the thread's update and the newest checkpoint", () => {
    expect(lastProgressAt(run({ updatedAt: at(5) }), thread({ updatedAt: at(3) }))).toBe(at(5));
    expect(lastProgressAt(run(), thread({ updatedAt: at(7) }))).toBe(at(7));
    expect(lastProgressAt(run(), thread({ checkpointAt: at(40) }))).toBe(at(40));
    // a run scheduled in the future (after_seconds) counts from its start
    expect(lastProgressAt(run({ createdAt: at(90), updatedAt: at(0) }), thread())).toBe(at(90));
  });
});

describe("classify", () => {
  it("calls a running run stuck only once the bound has passed since its last progress", () => {
    const t = thread({ checkpointAt: at(30) });
    expect(classifyAt(30 + 60, [t])).toMatchObject([{ kind: "running", runId: "r1", idleMs: 60_000 }]);
    const [f] = classifyAt(30 + 61, [t]);
    expect(f).toMatchObject({ kind: "stuck-run", runId: "r1", threadId: "t1", graphId: "g", status: "running", lastProgressAt: at(30), idleMs: 61_000 });
    expect(f!.reason).toMatch(/running for 61 s without progress/);
  });

  it("a new checkpoint resets the clock: a run that steps on is never stuck", () => {
    expect(classifyAt(600, [thread({ checkpointAt: at(590) })])[0]!.kind).toBe("running");
  });

  it("calls a pending run stuck when it waited past the bound, with its own reason", () => {
    const t = thread({ runs: [run({ runId: "r2", status: "pending", createdAt: at(0), updatedAt: at(0) })] });
    const [f] = classifyAt(120, [t]);
    expect(f).toMatchObject({ kind: "stuck-run", runId: "r2", status: "pending" });
    expect(f!.reason).toMatch(/pending for 120 s without starting/);
  });

  it("lists every active run of a busy thread and leaves finished runs out", () => {
    const t = thread({ runs: [run({ runId: "old", status: "success" }), run({ runId: "a" }), run({ runId: "b", status: "pending" }), run({ runId: "c", status: "interrupted" })] });
    expect(classifyAt(10, [t]).map((f) => f.runId).sort()).toEqual(["a", "b"]);
  });

  it("shows a busy thread with no active run only after the bound", () => {
    const t = thread({ runs: [run({ status: "success" })], updatedAt: at(0) });
    expect(classifyAt(60, [t])).toEqual([]);
    expect(classifyAt(61, [t])).toMatchObject([{ kind: "busy-thread", threadId: "t1", status: "busy", idleMs: 61_000 }]);
    expect(classifyAt(61, [{ ...t, runs: [] }])[0]!.kind).toBe("busy-thread");
  });

  it("reports a thread in error with its newest errored run and the server's error text", () => {
    const t = thread({
      status: "error", updatedAt: at(50), error: "ValueError: the tool call failed",
      runs: [run({ runId: "e-old", status: "error", createdAt: at(1), updatedAt: at(2) }), run({ runId: "e-new", status: "error", createdAt: at(40), updatedAt: at(45) }), run({ runId: "ok", status: "success", createdAt: at(20) })],
    });
    const [f] = classifyAt(100, [t]);
    expect(f).toMatchObject({ kind: "errored-run", runId: "e-new", status: "error", lastProgressAt: at(45), error: "ValueError: the tool call failed" });
    expect(f!.reason).toBe("the run failed: ValueError: the tool call failed");
  });

  it("still reports a thread in error whose runs the server no longer lists", () => {
    expect(classifyAt(100, [thread({ status: "error", runs: [] })])).toMatchObject([{ kind: "errored-run", runId: undefined, status: "error", reason: "the thread's last run failed" }]);
  });

  it("never reports an idle or interrupted thread, and an empty server is no finding", () => {
    expect(classifyAt(1000, [thread({ status: "idle", runs: [run({ status: "success" })] }), thread({ status: "interrupted", runs: [] })])).toEqual([]);
    expect(classifyAt(1000, [])).toEqual([]);
  });

  it("orders stuck runs first (longest idle first), then errors, busy threads, runs in progress; counts each kind", () => {
    const findings = classifyAt(1000, [
      thread({ threadId: "progressing", checkpointAt: at(990), runs: [run({ runId: "p", threadId: "progressing" })] }),
      thread({ threadId: "busy", runs: [] }),
      thread({ threadId: "err", status: "error", runs: [run({ runId: "e", status: "error" })] }),
      thread({ threadId: "s1", checkpointAt: at(800), runs: [run({ runId: "s1", threadId: "s1" })] }),
      thread({ threadId: "s2", checkpointAt: at(100), runs: [run({ runId: "s2", threadId: "s2" })] }),
    ]);
    expect(findings.map((f) => `${f.kind}:${f.threadId}`)).toEqual(["stuck-run:s2", "stuck-run:s1", "errored-run:err", "busy-thread:busy", "running:progressing"]);
    expect(countFindings(findings)).toEqual({ stuck: 2, running: 1, errored: 1, busyThreads: 1 });
  });

  it("never counts a clock behind the server's as negative idle time", () => {
    expect(classifyAt(-5, [thread()])[0]).toMatchObject({ kind: "running", idleMs: 0 });
  });
});

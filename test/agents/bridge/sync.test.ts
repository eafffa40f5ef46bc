/** The bridge's plain functions: the next cursor, a LangSmith run as a summary, the run status. */
import { describe, expect, it } from "vitest";
import { runStatus, toRunSummary } from "../../../src/agents/bridge/source.js";
import { nextCursor } from "../../../src/agents/bridge/sync.js";
import type { RunSummary } from "../../../src/storage/index.js";

const s = (startedAt: number, status: RunSummary["status"] = "success") => ({ startedAt, status }) as RunSummary;

describe("nextCursor", () => {
  it("moves to the newest start read, never backwards", () => {
    expect(nextCursor(100, [], 1000, 500)).toBe(100);
    expect(nextCursor(100, [s(150), s(300), s(200)], 1000, 500)).toBe(300);
  });

  it("waits at the oldest recent pending run, so its end is read later", () => {
    expect(nextCursor(100, [s(150), s(200, "pending"), s(300)], 400, 500)).toBe(200);
  });

  it("does not wait for a pending run older than the hold (a trace that never closed)", () => {
    expect(nextCursor(100, [s(150, "pending"), s(300)], 10_000, 500)).toBe(300);
  });
});

describe("toRunSummary", () => {
  const base = {
    id: "r1", name: "A.cycle", run_type: "chain", trace_id: "r1",
    start_time: "2026-01-01T00:00:00.250123", end_time: "2026-01-01T00:00:01.000Z",
    extra: { metadata: { agent: "A" } }, app_path: "/o/t/projects/p/s/r/r1",
  };

  it("takes the agent from v2's own metadata field too", () => {
    expect(toRunSummary({ ...base, extra: {}, metadata: { agent: "B" } } as never, "p", "h").agent).toBe("B");
  });

  it("maps the run: agent from metadata, latency, link from app_path", () => {
    expect(toRunSummary(base as never, "proj", "https://smith.example")).toEqual({
      runId: "r1", traceId: "r1", project: "proj", agent: "A", name: "A.cycle", status: "success",
      startedAt: Date.parse("2026-01-01T00:00:00.250Z"), endedAt: Date.parse("2026-01-01T00:00:01.000Z"), latencyMs: 750,
      error: null, link: "https://smith.example/o/t/projects/p/s/r/r1",
    });
  });

  it("the v2 API's upper-case status, an error or a missing end decides the status", () => {
    expect(runStatus({ error: "x", end_time: "t" } as never)).toBe("error");
    expect(runStatus({ status: "ERROR", end_time: "t" } as never)).toBe("error");
    expect(runStatus({ status: "PENDING", end_time: "t" } as never)).toBe("pending");
    expect(runStatus({ status: "SUCCESS" } as never)).toBe("pending");
    expect(runStatus({ end_time: "t", status: "SUCCESS" } as never)).toBe("success");
    const pending = toRunSummary({ ...base, end_time: undefined, app_path: undefined } as never, "p", "h");
    expect(pending).toMatchObject({ status: "pending", endedAt: null, latencyMs: null, link: null });
  });
});

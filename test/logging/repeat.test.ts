/** RepeatedProblem: one line when a problem starts, a count while it lasts, one line when it ends. */
import { describe, expect, it } from "vitest";
import { RepeatedProblem } from "../../src/logging/repeat.js";
import { captureLogger } from "../helpers/log-capture.js";
import { ManualClock } from "../helpers/manual-clock.js";

describe("RepeatedProblem", () => {
  it("logs the first failure, counts the rest, reminds every remindEveryMs and says once when it ends", () => {
    const clock = new ManualClock();
    const { logger, entries } = captureLogger();
    const p = new RepeatedProblem(logger, "supervisor heartbeat", { clock, remindEveryMs: 60_000 });
    p.recovered(); // nothing was failing: nothing to say
    expect(entries).toEqual([]);
    // twice a second for 90 s, as the supervisor did on a full disk
    for (let i = 0; i < 180; i++) {
      p.failed("database or disk is full");
      clock.advance(500);
    }
    expect(p.count).toBe(180);
    p.recovered();
    expect(entries.map((e) => [e.level, e.message])).toEqual([
      ["warn", "supervisor heartbeat failed: database or disk is full (repeats are counted; one line when it works again)"],
      ["warn", "supervisor heartbeat still failing: 121 failures in 1m 0s: database or disk is full"],
      ["info", "supervisor heartbeat works again after 180 failure(s) in 1m 30s (last: database or disk is full)"],
    ]);
    expect(p.failing).toBe(false);
    // a new episode starts with its own first line
    p.failed("database or disk is full");
    expect(entries).toHaveLength(4);
  });

  it("an error with the same code is the same problem, whatever its text says", () => {
    const clock = new ManualClock();
    const { logger, entries } = captureLogger();
    const p = new RepeatedProblem(logger, "supervisor heartbeat", { clock });
    const lockTimeout = (holder: string) => Object.assign(new Error(`could not take the lock; held by ${holder}`), { code: "LOCK_TIMEOUT" });
    p.failed(lockTimeout("pid 7 (node agent.js)"));
    p.failed(lockTimeout("no process (released just now)"));
    p.failed(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }));
    p.recovered();
    expect(entries.map((e) => e.message)).toEqual([
      "supervisor heartbeat failed: could not take the lock; held by pid 7 (node agent.js) (repeats are counted; one line when it works again)",
      "supervisor heartbeat failed: database or disk is full (the reason changed; 3 failures in 0s)",
      "supervisor heartbeat works again after 3 failure(s) in 0s (last: database or disk is full)",
    ]);
  });

  it("a new reason is a new line; numbers alone do not make a reason new", () => {
    const clock = new ManualClock();
    const { logger, entries } = captureLogger();
    const p = new RepeatedProblem(logger, "bookkeeping write", { clock, level: "error" });
    p.failed("lock held for 10012 ms by pid 42", { hint: "see bg-agents db-check" });
    p.failed("lock held for 10950 ms by pid 42");
    p.failed("attempt to write a readonly database");
    expect(entries.map((e) => e.message)).toEqual([
      "bookkeeping write failed: lock held for 10012 ms by pid 42; see bg-agents db-check (repeats are counted; one line when it works again)",
      "bookkeeping write failed: attempt to write a readonly database (the reason changed; 3 failures in 0s)",
    ]);
    expect(entries.every((e) => e.level === "error")).toBe(true);
  });
});

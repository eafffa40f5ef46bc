/** monitorHealth(): `starting` only inside the start-up grace, then the plain truth. */
import { describe, expect, it } from "vitest";
import { monitorHealth } from "../../src/http/monitor-health.js";
import type { AgentRecord } from "../../src/storage/index.js";

const T0 = 1_700_000_000_000;
const GRACE = 60_000;

function record(over: Partial<AgentRecord>): AgentRecord {
  return {
    name: "HeartbeatHealthAgent", state: "stopped", stateReason: null, stateChangedAt: T0, registeredAt: T0, startedAt: T0,
    lastHeartbeat: T0, pid: null, host: null, ...over,
  } as AgentRecord;
}

const at = (now: number, over: Partial<AgentRecord>, systemStartedAt?: number) =>
  monitorHealth({ monitor: record(over), now, staleThresholdMs: GRACE, systemStartedAt });

describe("monitorHealth", () => {
  it("a record the initializer registered and no process ran yet is starting for STALE_THRESHOLD, then stopped", () => {
    expect(at(T0 + 1000, {})).toMatchObject({ status: "starting" });
    expect(at(T0 + GRACE + 1, {})).toEqual({ status: "unhealthy", reason: "HeartbeatHealthAgent is stopped" });
  });

  it("a monitor stopped by the last run is starting once the system starts again, not before", () => {
    const stopped = { pid: 42, stateChangedAt: T0, lastHeartbeat: T0 };
    expect(at(T0 + 5000, stopped)).toMatchObject({ status: "unhealthy" });
    expect(at(T0 + 5000, stopped, T0 + 4000)).toMatchObject({ status: "starting" });
    expect(at(T0 + 4000 + GRACE + 1, stopped, T0 + 4000)).toMatchObject({ status: "unhealthy" });
    // stopped after this start: it really stopped
    expect(at(T0 + 5000, stopped, T0 - 1000)).toMatchObject({ status: "unhealthy" });
  });

  it("initializing is starting; failed after its own start is unhealthy; live and fresh is ok; silent is unhealthy", () => {
    expect(at(T0 + 100, { state: "initializing", pid: 7 })).toMatchObject({ status: "starting" });
    expect(at(T0 + 100, { state: "failed", pid: 7, stateChangedAt: T0 + 50 }, T0)).toMatchObject({ status: "unhealthy", reason: "HeartbeatHealthAgent is failed" });
    expect(at(T0 + 100, { state: "active", pid: 7 })).toEqual({ status: "ok" });
    expect(at(T0 + GRACE + 1, { state: "active", pid: 7 })).toMatchObject({ status: "unhealthy", reason: expect.stringMatching(/has not heartbeaten/) });
  });
});

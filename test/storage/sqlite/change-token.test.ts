/**
 * SQLite's changeToken reads no agent (a scan of 100k took ~26 ms, polled every second by live
 * updates): it must still move when another connection or process changes an agent.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../../src/storage/sqlite/index.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

const open: SharedState[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  removeTempDirs();
});

describe("SQLite changeToken", () => {
  it("moves when another connection to the file changes an agent, and not when it only reads", async () => {
    const path = join(makeTempDir(), "state.db");
    const dashboard = await SharedState.open({ path });
    const monitor = await SharedState.open({ path });
    open.push(dashboard, monitor);
    await monitor.updateHeartbeat("a");
    const first = await dashboard.changeToken();
    await monitor.getRegisteredAgents();
    expect(await dashboard.changeToken()).toBe(first);
    await monitor.updateAgentState("a", "stale", "from the other connection");
    const second = await dashboard.changeToken();
    expect(second).not.toBe(first);
    await dashboard.updateHeartbeat("a");
    expect(await dashboard.changeToken()).not.toBe(second);
  });
});

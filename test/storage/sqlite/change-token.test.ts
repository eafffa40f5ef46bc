/**
 * SQLite's changeToken reads no agent (a scan of 100k took ~26 ms, polled every second by live
 * updates): it must still move when another connection or process changes an agent.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeStores, openTestStore } from "../../helpers/store.js";
import { removeTempDirs } from "../../helpers/temp-dir.js";

afterEach(async () => {
  await closeStores();
  removeTempDirs();
});

describe("SQLite changeToken", () => {
  it("moves when another connection to the file changes an agent, and not when it only reads", async () => {
    const dashboard = await openTestStore();
    const monitor = await openTestStore({ path: dashboard.path });
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

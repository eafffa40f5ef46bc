/** recordPing / getPings: pairing by rid and without, what is kept, what is refused, clean-up. */
import { describe, expect, it } from "vitest";
import { isAgentNotFoundError, isValidationError } from "../../../src/errors/index.js";
import type { Open } from "./harness.js";

export function pingSuite(open: Open): void {
  async function setup() {
    const { store, clock } = await open();
    await store.updateHeartbeat("job");
    return { store, clock };
  }

  describe("recordPing", () => {
    it("pairs an end with the open start of its rid, each start once, interleaved runs apart", async () => {
      const { store, clock } = await setup();
      await store.recordPing("job", { kind: "start", rid: "r1" });
      await clock.advance(100);
      await store.recordPing("job", { kind: "start", rid: "r2" });
      await clock.advance(100);
      expect((await store.recordPing("job", { kind: "success", rid: "r1" })).durationMs).toBe(200);
      await clock.advance(50);
      expect((await store.recordPing("job", { kind: "fail", rid: "r2", exitStatus: 2 })).durationMs).toBe(150);
      expect((await store.recordPing("job", { kind: "success", rid: "r1" })).durationMs).toBeNull(); // r1's start is used up
      expect((await store.recordPing("job", { kind: "success", rid: "r9" })).durationMs).toBeNull();
    });

    it("without rid pairs only with the start right before it among pings without rid; logs do not break the pair", async () => {
      const { store, clock } = await setup();
      await store.recordPing("job", { kind: "start" });
      await clock.advance(30);
      await store.recordPing("job", { kind: "log", message: "half way" });
      await store.recordPing("job", { kind: "start", rid: "other" });
      await clock.advance(30);
      expect((await store.recordPing("job", { kind: "success" })).durationMs).toBe(60);
      expect((await store.recordPing("job", { kind: "success" })).durationMs).toBeNull();
    });

    it("keeps the newest 100 pings per agent, newest first, with the message", async () => {
      const { store } = await setup();
      for (let i = 0; i < 105; i++) await store.recordPing("job", { kind: "log", message: `m${i}` });
      const all = await store.getPings("job", 1000);
      expect(all).toHaveLength(100);
      expect(all[0]!.message).toBe("m104");
      expect(all.at(-1)!.message).toBe("m5");
    });

    it("refuses an unknown agent, kind or exit status without writing", async () => {
      const { store } = await setup();
      expect(isAgentNotFoundError(await store.recordPing("nobody", { kind: "success" }).catch((e: unknown) => e))).toBe(true);
      expect(isValidationError(await store.recordPing("job", { kind: "boom" as never }).catch((e: unknown) => e))).toBe(true);
      expect(isValidationError(await store.recordPing("job", { kind: "fail", exitStatus: 256 }).catch((e: unknown) => e))).toBe(true);
      expect(await store.getPings("job")).toEqual([]);
    });

    it("goes with the agent when it is cleaned up", async () => {
      const { store, clock } = await setup();
      await store.recordPing("job", { kind: "success" });
      await store.updateAgentState("job", "stopped", "done");
      await clock.advance(1);
      expect((await store.cleanupStale()).removed).toEqual(["job"]);
      await store.updateHeartbeat("job");
      expect(await store.getPings("job")).toEqual([]);
    });
  });
}

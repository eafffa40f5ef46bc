/** Silences: the ones in force now, and the ones that overlapped a window (ended ones too). */
import { describe, expect, it } from "vitest";
import type { Open } from "./harness.js";

export function silenceSuite(open: Open): void {
  describe("silences", () => {
    it("lists the silences that overlapped a window, ended or removed ones too, oldest first", async () => {
      const { store, clock, t0 } = await open();
      const n = store.notify;
      const a = await n.addSilence({ pattern: "web-*", untilMs: 1000 }); // t0 → t0+1000
      await clock.advance(500);
      const b = await n.addSilence({ pattern: "db", untilMs: 10_000 }); // t0+500 → removed at t0+2000
      await clock.advance(1500);
      expect(await n.removeSilences({ id: b.id })).toBe(1);
      await clock.advance(1000);
      const c = await n.addSilence({ pattern: "x", untilMs: 1000, reason: "deploy" }); // t0+3000 → t0+4000

      const ids = async (since: number, until: number) => (await n.silencesOverlapping(t0 + since, t0 + until)).map((s) => s.id);
      expect(await ids(0, 5000)).toEqual([a.id, b.id, c.id]);
      expect(await ids(1000, 3000)).toEqual([b.id]); // a ended at 1000, c starts at 3000: half-open
      expect(await ids(2500, 2900)).toEqual([]);
      expect(await ids(-5000, 1)).toEqual([a.id]);
      const [removed] = await n.silencesOverlapping(t0 + 1500, t0 + 1600);
      expect(removed).toMatchObject({ id: b.id, pattern: "db", createdAt: t0 + 500, until: t0 + 2000 });
      expect((await n.activeSilences()).map((s) => s.id)).toEqual([c.id]);
    });
  });
}

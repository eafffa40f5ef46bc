/**
 * Whose outage excuses an agent's downtime: with one monitor per host (PostgreSQL), time counts as
 * "nobody was checking" only while every monitor was down; one sweeping monitor is enough.
 */
import { describe, expect, it } from "vitest";
import type { AgentRecord, AgentState, Transition } from "../../src/storage/index.js";
import { readAvailability, type AvailabilitySources } from "../../src/views/fleet-availability.js";

const MIN = 60_000;
const T0 = 1_800_000_000_000;

type Step = [agent: string, from: AgentState | null, to: AgentState, atMin: number];

function sources(steps: Step[]): { store: AvailabilitySources; agents: Pick<AgentRecord, "name" | "state" | "stateChangedAt">[] } {
  const transitions: Transition[] = steps.map(([agent, from, to, at], i) => ({ id: i + 1, agent, from, to, at: T0 + at * MIN, reason: null }));
  const names = [...new Set(steps.map((s) => s[0]))];
  const agents = names.map((name) => {
    const last = transitions.filter((t) => t.agent === name).at(-1)!;
    return { name, state: last.to, stateChangedAt: last.at } as AgentRecord;
  });
  const store: AvailabilitySources = {
    getTransitions: async (q = {}) => transitions.filter((t) => (q.agent === undefined || t.agent === q.agent) && t.at >= (q.since ?? 0)),
    getRegisteredAgents: async (q = {}) => agents.filter((a) => a.name.includes(q.nameContains ?? "")),
    notify: { silencesOverlapping: async () => [] },
  };
  return { store, agents };
}

// web: up 0-60, stale 60-90, active 90-120; the monitors' outages decide how much of 60-90 counts
const web: Step[] = [["web", null, "active", 0], ["web", "active", "stale", 60], ["web", "stale", "active", 90]];
const downMsOfWeb = async (steps: Step[]) => {
  const { store, agents } = sources([...web, ...steps]);
  const figures = await readAvailability(store, agents, T0 + 120 * MIN);
  return figures.get("web")!.windows[0]!.downMs;
};

describe("availability: monitor outages across hosts", () => {
  it("one monitor down 70-80 takes those 10 min out of the outage", async () => {
    expect(await downMsOfWeb([
      ["HeartbeatHealthAgent", null, "active", 0], ["HeartbeatHealthAgent", "active", "stale", 70], ["HeartbeatHealthAgent", "stale", "active", 80],
    ])).toBe(20 * MIN);
  });

  it("two hosts' monitors: only the time both were down (75-80) is taken out", async () => {
    expect(await downMsOfWeb([
      ["HeartbeatHealthAgent@a", null, "active", 0], ["HeartbeatHealthAgent@a", "active", "stale", 70], ["HeartbeatHealthAgent@a", "stale", "active", 80],
      ["HeartbeatHealthAgent@b", null, "active", 0], ["HeartbeatHealthAgent@b", "active", "stopped", 75], ["HeartbeatHealthAgent@b", "stopped", "active", 85],
    ])).toBe(25 * MIN);
  });

  it("two hosts' monitors never down together excuse nothing", async () => {
    expect(await downMsOfWeb([
      ["HeartbeatHealthAgent@a", null, "active", 0], ["HeartbeatHealthAgent@a", "active", "stale", 62], ["HeartbeatHealthAgent@a", "stale", "active", 68],
      ["HeartbeatHealthAgent@b", null, "active", 0], ["HeartbeatHealthAgent@b", "active", "stopped", 70], ["HeartbeatHealthAgent@b", "stopped", "active", 85],
    ])).toBe(30 * MIN);
  });
});

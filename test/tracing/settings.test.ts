/** Tracing settings from LANGSMITH_* variables, per-cycle trace fields, the agent of a run, flush without tracing. */
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import { invokeConfig } from "../../src/agents/runtime/invoke-config.js";
import { loadConfig } from "../../src/config/index.js";
import { agentOfRun, cycleTraceFields, describeTracing, flushTraces, tracingSettings } from "../../src/tracing/index.js";

describe("tracingSettings", () => {
  it("is off with an empty environment and says how to turn it on", () => {
    const s = tracingSettings({});
    expect(s).toMatchObject({ tracing: false, apiKey: undefined, endpoint: "https://api.smith.langchain.com", project: "default" });
    expect(s.offReason).toMatch(/LANGSMITH_API_KEY/);
    expect(describeTracing(s)).toMatch(/off.*LANGSMITH_TRACING=true/);
  });

  it("reads the standard variables, trims quotes and the endpoint's trailing slash", () => {
    const s = tracingSettings({ LANGSMITH_TRACING: "true", LANGSMITH_API_KEY: "'lsv2_x'", LANGSMITH_PROJECT: "bg", LANGSMITH_ENDPOINT: "http://127.0.0.1:9/" });
    expect(s).toEqual({ tracing: true, apiKey: "lsv2_x", endpoint: "http://127.0.0.1:9", project: "bg", offReason: undefined });
    expect(describeTracing(s)).toBe('LangSmith tracing on: project "bg" at http://127.0.0.1:9');
  });

  it("falls back to the LANGCHAIN_* names and warns when tracing is asked for without a key", () => {
    const s = tracingSettings({ LANGCHAIN_TRACING_V2: "true", LANGCHAIN_PROJECT: "old" });
    expect(s.tracing).toBe(true);
    expect(s.project).toBe("old");
    expect(describeTracing(s)).toMatch(/LANGSMITH_API_KEY is not set/);
  });
});

describe("one trace per agent cycle", () => {
  it("names the cycle <agent>.cycle with filterable tags and the metadata LangSmith shows", () => {
    const f = cycleTraceFields({ agentName: "A1", cycle: 7, threadId: "agent:A1", sessionId: "s1", version: "9.9.9" });
    expect(f.runName).toBe("A1.cycle");
    expect(f.tags).toEqual(["background-agents", "agent:A1", `host:${hostname()}`]);
    expect(f.metadata).toEqual({ agent: "A1", cycle: 7, pid: process.pid, host: hostname(), thread_id: "agent:A1", session_id: "s1", version: "9.9.9" });
  });

  it("invokeConfig carries them next to the thread and the agent context", () => {
    const config = loadConfig({});
    const ctx = { agentName: "A2", config, sessionId: "s2", version: "1" } as never;
    const c = invokeConfig({ ctx, threadId: "t", cycle: 3 });
    expect(c).toMatchObject({ configurable: { thread_id: "t" }, runName: "A2.cycle", durability: "sync", metadata: { agent: "A2", cycle: 3, thread_id: "t" } });
    expect((c.context as { agent: unknown }).agent).toBe(ctx);
  });

  it("finds the agent of a run from metadata, tag, dev-server graph id, or name", () => {
    expect(agentOfRun({ name: "x", extra: { metadata: { agent: "M" } } })).toBe("M");
    expect(agentOfRun({ name: "x", tags: ["background-agents", "agent:T"] })).toBe("T");
    expect(agentOfRun({ name: "HeartbeatHealthAgent", extra: { metadata: { graph_id: "heartbeat-health" } } })).toBe("heartbeat-health");
    expect(agentOfRun({ name: "Foo.cycle" })).toBe("Foo");
  });
});

describe("flushTraces", () => {
  it("returns at once when tracing is off (nothing was sent)", async () => {
    expect(await flushTraces(3000, {})).toEqual({ flushed: true, ms: 0 });
  });
});

/**
 * Where a monitored graph's heartbeats go: the store (DATABASE_PATH / DATABASE_URL, the same
 * roles every agent writes through) or, for a graph on another host, our HTTP push route.
 */
import { processHeartbeatInfo } from "../agents/process-info.js";
import { BgAgentsError } from "../errors/index.js";
import { groupCommitOf, type AgentActivity, type AgentWriter } from "../storage/index.js";

export interface HeartbeatSink {
  register(name: string, version: string): Promise<void>;
  beat(name: string, version: string, activity: AgentActivity): Promise<void>;
  /** Counts the error and moves the agent to `error` with `reason`. */
  error(name: string, message: string, reason: string): Promise<void>;
  /** Back to `active` after an error or a stuck run. */
  recover(name: string, reason: string): Promise<void>;
  close(): Promise<void>;
}

export class StoreSink implements HeartbeatSink {
  private lastWriteMs: number | undefined;

  constructor(private readonly store: AgentWriter, private readonly onClose: () => Promise<void> = async () => undefined) {}

  async register(name: string, version: string): Promise<void> {
    await this.store.registerAgent(name, { ...processHeartbeatInfo(version), meta: { client: "withHeartbeat" }, reason: "registered by withHeartbeat" });
    await this.store.updateAgentState(name, "active", "graph loaded");
  }

  async beat(name: string, version: string, activity: AgentActivity): Promise<void> {
    const t = performance.now();
    // graphs of one process share batches (group commit)
    await groupCommitOf(this.store).updateHeartbeat(name, { ...processHeartbeatInfo(version, this.lastWriteMs), activity });
    this.lastWriteMs = +(performance.now() - t).toFixed(2);
  }

  async error(name: string, message: string, reason: string): Promise<void> {
    await this.store.recordError(name, message);
    await this.store.updateAgentState(name, "error", reason.slice(0, 500));
  }

  async recover(name: string, reason: string): Promise<void> {
    await this.store.updateAgentState(name, "active", reason);
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** POST <url>/api/agents/<name>/heartbeat, with the API token when given. */
export class HttpSink implements HeartbeatSink {
  private lastWriteMs: number | undefined;

  constructor(private readonly baseUrl: string, private readonly token?: string) {}

  private async post(name: string, body: Record<string, unknown>): Promise<void> {
    const t = performance.now();
    const res = await fetch(new URL(`/api/agents/${encodeURIComponent(name)}/heartbeat`, this.baseUrl), {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new BgAgentsError("PUSH_REFUSED", `${this.baseUrl} refused the heartbeat of ${name}: HTTP ${res.status} ${text.slice(0, 200)}`);
    this.lastWriteMs = +(performance.now() - t).toFixed(2);
  }

  private info(version: string): Record<string, unknown> {
    const { pid, host, rssBytes, cpuPercent, eventLoopLagMs } = processHeartbeatInfo(version);
    return { pid, host, version, rssBytes, cpuPercent, eventLoopLagMs, latencyMs: this.lastWriteMs };
  }

  register(name: string, version: string): Promise<void> {
    return this.post(name, { ...this.info(version), status: "up", message: "registered by withHeartbeat" });
  }

  beat(name: string, version: string, activity: AgentActivity): Promise<void> {
    return this.post(name, { ...this.info(version), activity });
  }

  error(name: string, message: string): Promise<void> {
    return this.post(name, { status: "error", message });
  }

  recover(name: string, reason: string): Promise<void> {
    return this.post(name, { status: "ok", message: reason });
  }

  async close(): Promise<void> {}
}

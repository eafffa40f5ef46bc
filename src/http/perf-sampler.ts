/**
 * Samples what the performance panel and /metrics show, every few seconds: DB read latency, lock
 * wait, DB/WAL file size, the fleet's summed RSS/CPU, and per-agent heartbeat age/latency/RSS/CPU
 * (ring buffers in memory; history is lost on restart, the fleet's perf store keeps the long view).
 */
import type { Clock } from "../clock/index.js";
import { withDefaults } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import { RepeatedProblem } from "../logging/repeat.js";
import type { AgentRecord, StateStore } from "../storage/index.js";

export interface PerfSample {
  at: number;
  dbLatencyMs: number;
  lockLatencyMs: number;
  dbBytes: number | null;
  walBytes: number | null;
  agents: number;
  rssBytes: number;
  cpuPercent: number;
}

/** [at, heartbeat age ms, heartbeat latency ms, rss bytes, cpu %] */
export type AgentSample = [number, number, number | null, number | null, number | null];

export interface PerfSamplerOptions {
  store: StateStore;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  /** Points kept for the fleet and per agent. @defaultValue 360 / 60 */
  keep?: number;
  keepPerAgent?: number;
  /** Agents beyond this many get no per-agent history (memory bound). @defaultValue 2000 */
  maxTrackedAgents?: number;
  /** Called with each sample (metrics histograms). */
  onSample?: (s: PerfSample) => void;
}

const DEFAULTS = { keep: 360, keepPerAgent: 60, maxTrackedAgents: 2000 };
/** Tracked agents read per query. */
const PAGE = 250;

export class PerfSampler {
  private readonly samples: PerfSample[] = [];
  private readonly perAgent = new Map<string, AgentSample[]>();
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly opts: PerfSamplerOptions & typeof DEFAULTS;

  private readonly trouble: RepeatedProblem;

  constructor(opts: PerfSamplerOptions) {
    this.opts = withDefaults(DEFAULTS, opts);
    this.trouble = new RepeatedProblem(opts.logger, "perf sample", { clock: opts.clock });
  }

  start(): void {
    if (this.timer) return;
    void this.sampleNow();
    this.timer = setInterval(() => void this.sampleNow(), this.opts.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  recent(): PerfSample[] {
    return [...this.samples];
  }

  agentSamples(name: string): AgentSample[] {
    return [...(this.perAgent.get(name) ?? [])];
  }

  /**
   * The tracked agents after the first `from`, a page at a time with a turn of the event loop
   * between: 2,000 agents in one read held it for ~12 ms at 100k agents.
   */
  private async trackedAfter(from: number): Promise<AgentRecord[]> {
    const out: AgentRecord[] = [];
    for (let offset = from; offset < this.opts.maxTrackedAgents; offset += PAGE) {
      await new Promise<void>((r) => setImmediate(r));
      const page = await this.opts.store.getRegisteredAgents({ limit: Math.min(PAGE, this.opts.maxTrackedAgents - offset), offset });
      out.push(...page);
      if (page.length < PAGE) break;
    }
    return out;
  }

  /** Takes one sample (skipped if the previous one is still running). */
  async sampleNow(): Promise<PerfSample | undefined> {
    if (this.busy) return undefined;
    this.busy = true;
    const { store, clock } = this.opts;
    try {
      // the totals as one aggregate and only the tracked agents' rows: reading every row blocked
      // the server for ~400 ms per sample at 100k agents (npm run bench -- --only=scale)
      const totals = await store.resourceTotals();
      const t = performance.now();
      const agents = await store.getRegisteredAgents({ limit: Math.min(PAGE, this.opts.maxTrackedAgents) });
      const dbLatencyMs = performance.now() - t;
      if (agents.length === PAGE) agents.push(...(await this.trackedAfter(PAGE)));
      const lockLatencyMs = await store.probeWriteLock();
      const size = await store.storageInfo();
      const at = clock.now();
      const live = new Set<string>();
      for (const a of agents) {
        live.add(a.name);
        let ring = this.perAgent.get(a.name);
        if (!ring) this.perAgent.set(a.name, (ring = []));
        ring.push([at, Math.max(0, at - a.lastHeartbeat), a.heartbeatLatencyMs, a.rssBytes, a.cpuPercent]);
        if (ring.length > this.opts.keepPerAgent) ring.shift();
      }
      for (const name of this.perAgent.keys()) if (!live.has(name)) this.perAgent.delete(name);
      const sample: PerfSample = {
        at,
        dbLatencyMs: +dbLatencyMs.toFixed(3),
        lockLatencyMs: +lockLatencyMs.toFixed(3),
        dbBytes: size.dbBytes,
        walBytes: size.walBytes,
        agents: totals.agents,
        rssBytes: totals.rssBytes,
        cpuPercent: +totals.cpuPercent.toFixed(2),
      };
      this.samples.push(sample);
      if (this.samples.length > this.opts.keep) this.samples.shift();
      this.opts.onSample?.(sample);
      this.trouble.recovered();
      return sample;
    } catch (e) {
      this.trouble.failed(e);
      return undefined;
    } finally {
      this.busy = false;
    }
  }
}

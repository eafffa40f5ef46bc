/**
 * `withHeartbeat(graph, { name })`: any compiled LangGraph graph, unchanged, monitored. It hooks
 * the graph's callbacks (graph.withConfig({ callbacks }): merged with per-call callbacks, so it
 * keeps working under `langgraphjs dev`), heartbeats on its own timer while the process lives (a
 * long LLM call in one node does not look dead; a frozen process does), and records what the graph
 * is doing: running or idle, node, step, thread, the last run's outcome and duration; node errors;
 * a run without progress for `stuckAfterMs` is shown stuck.
 */
import { loadConfig } from "../config/index.js";
import { ValidationError } from "../errors/index.js";
import { assertAgentName, openStore, type AgentWriter } from "../storage/index.js";
import { systemClock, type Clock } from "../clock/index.js";
import { VERSION } from "../version.js";
import { ActivityTracker } from "./activity.js";
import { HttpSink, StoreSink, type HeartbeatSink } from "./sink.js";

export interface WithHeartbeatOptions {
  /** The agent's name. @defaultValue AGENT_NAME */
  name?: string;
  /** Write through this store (an open one you own). */
  store?: AgentWriter;
  /** Or push to our HTTP API at this address (a graph on another host). @defaultValue BG_AGENTS_URL */
  url?: string;
  /** Bearer token for `url`. @defaultValue API_TOKEN */
  token?: string;
  /** @defaultValue HEARTBEAT_INTERVAL */
  intervalMs?: number;
  /** A run with no node starting or ending for this long is stuck (the agent goes to `error` until it moves again). @defaultValue 5 × STALE_THRESHOLD */
  stuckAfterMs?: number;
  /** Your agent's version. @defaultValue this package's version */
  version?: string;
  clock?: Clock;
  /** Told of heartbeat write failures (they never reach the graph). @defaultValue console.warn, once per failure streak */
  onError?: (e: unknown) => void;
}

/** The running monitor of a wrapped graph (heartbeatOf). */
export interface GraphHeartbeat {
  readonly name: string;
  /** Writes a heartbeat now. */
  beat(): Promise<void>;
  /** Stops the timer and marks the agent stopped. */
  stop(reason?: string): Promise<void>;
}

/** What withHeartbeat needs of a graph: LangGraph's withConfig (overloaded, so typed loosely here). */
interface Configurable {
  withConfig: (config: never) => unknown;
}

const handles = new WeakMap<object, GraphHeartbeat>();

export function withHeartbeat<G extends Configurable>(graph: G, options: WithHeartbeatOptions = {}): G {
  const name = options.name ?? process.env.AGENT_NAME;
  if (!name) throw new ValidationError("withHeartbeat needs a name: withHeartbeat(graph, { name: \"my-agent\" }) or set AGENT_NAME");
  assertAgentName(name);
  const monitor = new GraphMonitor(name, options);
  const wrapped = (graph.withConfig as (config: { callbacks: unknown[] }) => G).call(graph, { callbacks: [monitor.tracker] });
  handles.set(wrapped as object, monitor);
  monitor.start();
  return wrapped;
}

/** The monitor of a graph that withHeartbeat returned (undefined for any other). */
export function heartbeatOf(graph: object): GraphHeartbeat | undefined {
  return handles.get(graph);
}

class GraphMonitor implements GraphHeartbeat {
  readonly tracker: ActivityTracker;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly stuckAfterMs: number;
  private readonly version: string;
  private sink: Promise<HeartbeatSink> | undefined;
  private registered = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** In `error` because of a node error or a stuck run: the next progress brings it back. */
  private down: "error" | "stuck" | null = null;
  private failing = false;

  constructor(readonly name: string, private readonly o: WithHeartbeatOptions) {
    const config = o.intervalMs && o.stuckAfterMs ? undefined : loadConfig(process.env, { agentName: "withHeartbeat" });
    this.clock = o.clock ?? systemClock;
    this.intervalMs = o.intervalMs ?? config!.heartbeatIntervalMs;
    this.stuckAfterMs = o.stuckAfterMs ?? 5 * config!.staleThresholdMs;
    this.version = o.version ?? VERSION;
    // what the agent's state should be is decided when the event happens; the writes follow in order
    this.tracker = new ActivityTracker(() => this.clock.now(), {
      onNodeError: (message, node) => {
        this.down = "error";
        void this.enqueue((s) => s.error(this.name, message, `node ${node ?? "?"} failed: ${message}`));
      },
      onProgress: () => {
        if (this.down !== "stuck") return;
        this.down = null;
        void this.enqueue((s) => s.recover(this.name, "progress again"));
      },
    });
  }

  start(): void {
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
    void this.beat();
  }

  beat(): Promise<void> {
    const activity = this.tracker.snapshot(this.stuckAfterMs);
    if (activity.status === "stuck" && this.down !== "stuck") {
      this.down = "stuck";
      const idle = Math.round((this.clock.now() - (activity.lastProgressAt ?? 0)) / 1000);
      void this.enqueue((s) => s.error(this.name, `stuck: no progress for ${idle} s`, `stuck in node ${activity.node ?? "?"}: no progress for ${idle} s`));
    } else if (this.down === "error" && activity.status === "idle" && activity.lastRun?.outcome === "success") {
      this.down = null;
      void this.enqueue((s) => s.recover(this.name, "a run succeeded after the error"));
    }
    return this.enqueue((s) => s.beat(this.name, this.version, activity));
  }

  async stop(reason = "stopped"): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.writing;
    if (!this.sink) return;
    const s = await this.sink;
    if (this.o.store) await (this.o.store).updateAgentState(this.name, "stopped", reason).catch(() => undefined);
    await s.close();
  }

  /** Writes run one at a time and never throw into the graph. */
  private enqueue(fn: (s: HeartbeatSink) => Promise<void>): Promise<void> {
    this.writing = this.writing.then(async () => {
      try {
        const s = await this.openSink();
        if (!this.registered) {
          await s.register(this.name, this.version);
          this.registered = true;
        }
        await fn(s);
        this.failing = false;
      } catch (e) {
        if (this.o.onError) this.o.onError(e);
        else if (!this.failing) console.warn(`background-agents: heartbeat of ${this.name} failed: ${(e as Error).message} (retrying every ${this.intervalMs} ms)`);
        this.failing = true;
      }
    });
    return this.writing;
  }

  private openSink(): Promise<HeartbeatSink> {
    this.sink ??= (async () => {
      if (this.o.store) return new StoreSink(this.o.store);
      const url = this.o.url ?? process.env.BG_AGENTS_URL;
      if (url) return new HttpSink(url, this.o.token ?? process.env.API_TOKEN);
      const store = await openStore(loadConfig(process.env, { agentName: "withHeartbeat" }));
      return new StoreSink(store, () => store.close());
    })();
    this.sink.catch(() => (this.sink = undefined));
    return this.sink;
  }
}

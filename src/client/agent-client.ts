/**
 * AgentClient: heartbeats from any Node process (LangGraph or not), so users' own agents are
 * monitored like the built-in ones: `register()`, `start()` heartbeating every HEARTBEAT_INTERVAL
 * (or call `beat()` from your own work loop), `reportError(e)`, `stop()` (state `stopped`).
 * A process that dies stops heartbeating and the HeartbeatHealthAgent marks it stale.
 */
import { loadConfig } from "../config/index.js";
import { processHeartbeatInfo } from "../agents/process-info.js";
import { openStore, assertAgentName, groupCommitOf, type StateStore } from "../storage/index.js";
import { VERSION } from "../version.js";

export interface AgentClientOptions {
  /** The name the agent registers under. */
  name: string;
  /** The shared state database. @defaultValue DATABASE_PATH (or shared_state.db) */
  databasePath?: string;
  /** Heartbeat period of start(). @defaultValue HEARTBEAT_INTERVAL */
  intervalMs?: number;
  /** Use an open store instead of opening DATABASE_PATH (it is not closed by stop()). */
  store?: StateStore;
  /** Shown with the agent (dashboard, API). */
  meta?: Record<string, unknown>;
  /** Your agent's version. @defaultValue this package's version */
  version?: string;
}

export class AgentClient {
  readonly name: string;
  private store: StateStore | undefined;
  private readonly ownsStore: boolean;
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private lastWriteMs: number | undefined;
  private inError = false;

  constructor(private readonly opts: AgentClientOptions) {
    assertAgentName(opts.name);
    this.name = opts.name;
    this.store = opts.store;
    this.ownsStore = !opts.store;
    this.intervalMs = opts.intervalMs ?? loadConfig(process.env, opts.databasePath ? { databasePath: opts.databasePath } : {}).heartbeatIntervalMs;
  }

  private async open(): Promise<StateStore> {
    if (!this.store) {
      const config = loadConfig(process.env, this.opts.databasePath ? { databasePath: this.opts.databasePath } : {});
      this.store = await openStore(config);
    }
    return this.store;
  }

  private get version(): string {
    return this.opts.version ?? VERSION;
  }

  /** Registers the agent (initializing → active). */
  async register(): Promise<void> {
    const store = await this.open();
    await store.registerAgent(this.name, { ...processHeartbeatInfo(this.version), meta: { client: "AgentClient", ...this.opts.meta }, reason: "registered by AgentClient" });
    await store.updateAgentState(this.name, "active", "startup complete");
  }

  /** Heartbeats every `intervalMs` until stop(). The timer does not keep the process alive. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.intervalMs);
    this.timer.unref();
    void this.beat().catch(() => undefined);
  }

  /** One heartbeat now (pid, host, version, RSS, CPU, loop lag, previous write's duration). Concurrent calls share one write. */
  beat(): Promise<void> {
    this.beating ??= (async () => {
      try {
        const store = await this.open();
        const started = performance.now();
        // clients sharing a store share batches (group commit)
        await groupCommitOf(store).updateHeartbeat(this.name, processHeartbeatInfo(this.version, this.lastWriteMs));
        this.lastWriteMs = +(performance.now() - started).toFixed(2);
        if (this.inError) {
          this.inError = false;
          await store.updateAgentState(this.name, "active", "recovered (heartbeat after an error)");
        }
      } finally {
        this.beating = undefined;
      }
    })();
    return this.beating;
  }

  /** Records an error against the agent and moves it to `error` (the next heartbeat brings it back). */
  async reportError(error: unknown): Promise<void> {
    const store = await this.open();
    const message = error instanceof Error ? error.message : String(error);
    await store.recordError(this.name, message);
    await store.updateAgentState(this.name, "error", message.slice(0, 500));
    this.inError = true;
  }

  /** Stops heartbeating and marks the agent `stopped`. */
  async stop(reason = "stopped by AgentClient"): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.beating?.catch(() => undefined);
    if (!this.store) return;
    await this.store.updateAgentState(this.name, "stopped", reason);
    if (this.ownsStore) {
      await this.store.close();
      this.store = undefined;
    }
  }
}

/**
 * Group commit for heartbeats that arrive together (pushed over HTTP, AgentClients or withHeartbeat
 * graphs sharing a process): the first write opens a batch, writes within `windowMs` (or until
 * `maxBatch`) join it, one AgentWriter.updateHeartbeats transaction writes them all, and each caller
 * is answered only once its row is committed. While a batch is being written the next one fills up,
 * so the busier the writers, the larger the batches.
 *
 * The default window is one turn of the event loop (setImmediate): every request parsed in the same
 * I/O phase joins, and a lone heartbeat waits for no timer.
 */
import { assertAgentName } from "./agent-name.js";
import type { AgentState, AgentWriter, HeartbeatInfo, HeartbeatUpdate } from "./types.js";

export interface GroupCommitOptions {
  /** How long the first heartbeat of a batch waits for others, in ms; 0 = until the end of this event-loop turn. @defaultValue 0 */
  windowMs?: number;
  /** A batch this large is written at once, and no batch is larger. @defaultValue 256 */
  maxBatch?: number;
}

interface Waiting {
  update: HeartbeatUpdate;
  done: (err: unknown, state?: AgentState) => void;
}

export class HeartbeatGroupCommit {
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private pending: Waiting[] = [];
  /** Heartbeats of many-at-once calls (a gateway's relay): each batch takes them after the single ones. */
  private bulk: Waiting[] = [];
  private timer: { timeout: NodeJS.Timeout } | { immediate: NodeJS.Immediate } | undefined;
  private writing: Promise<void> | undefined;
  private due = false;

  constructor(private readonly store: Pick<AgentWriter, "updateHeartbeats">, opts: GroupCommitOptions = {}) {
    this.windowMs = opts.windowMs ?? 0;
    this.maxBatch = opts.maxBatch ?? 256;
  }

  /**
   * Resolves with the agent's state after the heartbeat once it is committed; a bad name throws at
   * once and joins no batch.
   */
  updateHeartbeat(name: string, info?: HeartbeatInfo): Promise<AgentState> {
    assertAgentName(name);
    return this.enqueue(this.pending, { name, info });
  }

  /**
   * Many heartbeats (a gateway's whole host) written by the same batches, so a process writes one
   * batch at a time however many requests bring them; single heartbeats go first in each batch, so
   * a push never waits behind a relay of thousands. Resolves with each one's state, in order, once
   * all are committed. A bad name throws at once and none of them joins.
   */
  updateHeartbeats(batch: readonly HeartbeatUpdate[]): Promise<AgentState[]> {
    for (const b of batch) assertAgentName(b.name);
    return Promise.all(batch.map((b) => this.enqueue(this.bulk, b)));
  }

  private enqueue(queue: Waiting[], update: HeartbeatUpdate): Promise<AgentState> {
    return new Promise<AgentState>((resolve, reject) => {
      queue.push({ update, done: (err, state) => (err === undefined ? resolve(state!) : reject(err)) });
      if (this.pending.length + this.bulk.length >= this.maxBatch) this.flushSoon(true);
      else this.timer ??= this.windowMs > 0 ? { timeout: setTimeout(this.onWindowEnd, this.windowMs) } : { immediate: setImmediate(this.onWindowEnd) };
    });
  }

  private readonly onWindowEnd = () => {
    this.timer = undefined;
    this.flushSoon(true);
  };

  private clearTimer(): void {
    if (this.timer === undefined) return;
    if ("timeout" in this.timer) clearTimeout(this.timer.timeout);
    else clearImmediate(this.timer.immediate);
    this.timer = undefined;
  }

  private flushSoon(due: boolean): void {
    this.due ||= due;
    if (!this.due || this.writing || this.pending.length + this.bulk.length === 0) return;
    this.clearTimer();
    this.due = false;
    const batch = this.pending.splice(0, this.maxBatch);
    batch.push(...this.bulk.splice(0, this.maxBatch - batch.length));
    this.writing = this.store.updateHeartbeats(batch.map((w) => w.update)).then(
      (states) => batch.forEach((w, i) => w.done(undefined, states[i])),
      (err: unknown) => batch.forEach((w) => w.done(err ?? new Error("heartbeat batch failed"))),
    ).finally(() => {
      this.writing = undefined;
      // what arrived during the write is already past its window (or a full batch): write it after
      // one turn of the event loop, so pushes that came in meanwhile are read and go first
      if (this.pending.length + this.bulk.length > 0) this.timer ??= { immediate: setImmediate(this.onWindowEnd) };
    });
  }
}

const shared = new WeakMap<object, HeartbeatGroupCommit>();

/** The one group commit of `store` in this process, so every writer of the process shares batches. */
export function groupCommitOf(store: Pick<AgentWriter, "updateHeartbeats">): HeartbeatGroupCommit {
  let g = shared.get(store);
  if (!g) shared.set(store, (g = new HeartbeatGroupCommit(store)));
  return g;
}

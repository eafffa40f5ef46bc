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
  /** A batch this large is written at once. @defaultValue 1000 */
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
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private writing: Promise<void> | undefined;
  private due = false;

  constructor(private readonly store: Pick<AgentWriter, "updateHeartbeats">, opts: GroupCommitOptions = {}) {
    this.windowMs = opts.windowMs ?? 0;
    this.maxBatch = opts.maxBatch ?? 1000;
  }

  /**
   * Resolves with the agent's state after the heartbeat once it is committed; a bad name throws at
   * once and joins no batch.
   */
  updateHeartbeat(name: string, info?: HeartbeatInfo): Promise<AgentState> {
    assertAgentName(name);
    return new Promise<AgentState>((resolve, reject) => {
      this.pending.push({ update: { name, info }, done: (err, state) => (err === undefined ? resolve(state!) : reject(err)) });
      if (this.pending.length >= this.maxBatch) this.flushSoon(true);
      else this.timer ??= this.windowMs > 0 ? setTimeout(this.onWindowEnd, this.windowMs) : setImmediate(this.onWindowEnd);
    });
  }

  /**
   * Many heartbeats (a gateway's whole host) joining the same queue, so a process writes one batch
   * at a time however many requests bring them; resolves with each one's state, in order, once all
   * are committed. A bad name throws at once and none of them joins.
   */
  updateHeartbeats(batch: readonly HeartbeatUpdate[]): Promise<AgentState[]> {
    for (const b of batch) assertAgentName(b.name);
    return Promise.all(batch.map((b) => this.updateHeartbeat(b.name, b.info)));
  }

  private readonly onWindowEnd = () => {
    this.timer = undefined;
    this.flushSoon(true);
  };

  private clearTimer(): void {
    if (this.timer === undefined) return;
    if (this.windowMs > 0) clearTimeout(this.timer as NodeJS.Timeout);
    else clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
  }

  private flushSoon(due: boolean): void {
    this.due ||= due;
    if (!this.due || this.writing || this.pending.length === 0) return;
    this.clearTimer();
    this.due = false;
    const batch = this.pending.splice(0, this.maxBatch);
    this.writing = this.store.updateHeartbeats(batch.map((w) => w.update)).then(
      (states) => batch.forEach((w, i) => w.done(undefined, states[i])),
      (err: unknown) => batch.forEach((w) => w.done(err ?? new Error("heartbeat batch failed"))),
    ).finally(() => {
      this.writing = undefined;
      // what arrived during the write is already past its window (or a full batch): write it now
      if (this.pending.length > 0) this.flushSoon(true);
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

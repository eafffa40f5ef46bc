/**
 * Group commit for heartbeats that arrive together (pushed over HTTP, AgentClients or withHeartbeat
 * graphs sharing a process): the first write opens a batch, writes within `windowMs` (or until
 * `maxBatch`) join it, one AgentWriter.updateHeartbeats transaction writes them all, and each caller
 * is answered only once its row is committed. While a batch is being written the next one fills up,
 * so the busier the writers, the larger the batches.
 */
import { assertAgentName } from "./agent-name.js";
import type { AgentWriter, HeartbeatInfo, HeartbeatUpdate } from "./types.js";

export interface GroupCommitOptions {
  /** How long the first heartbeat of a batch waits for others. @defaultValue 1 (ms) */
  windowMs?: number;
  /** A batch this large is written at once. @defaultValue 1000 */
  maxBatch?: number;
}

interface Waiting {
  update: HeartbeatUpdate;
  done: (err?: unknown) => void;
}

export class HeartbeatGroupCommit {
  private readonly windowMs: number;
  private readonly maxBatch: number;
  private pending: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private due = false;

  constructor(private readonly store: Pick<AgentWriter, "updateHeartbeats">, opts: GroupCommitOptions = {}) {
    this.windowMs = opts.windowMs ?? 1;
    this.maxBatch = opts.maxBatch ?? 1000;
  }

  /** Resolves once this heartbeat is committed; a bad name throws at once and joins no batch. */
  updateHeartbeat(name: string, info?: HeartbeatInfo): Promise<void> {
    assertAgentName(name);
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ update: { name, info }, done: (err) => (err === undefined ? resolve() : reject(err)) });
      if (this.pending.length >= this.maxBatch) this.flushSoon(true);
      else this.timer ??= setTimeout(() => this.flushSoon(true), this.windowMs);
    });
  }

  private flushSoon(due: boolean): void {
    this.due ||= due;
    if (!this.due || this.writing || this.pending.length === 0) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.due = false;
    const batch = this.pending.splice(0, this.maxBatch);
    this.writing = this.store.updateHeartbeats(batch.map((w) => w.update)).then(
      () => batch.forEach((w) => w.done()),
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

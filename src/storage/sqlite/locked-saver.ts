/**
 * LangGraph's official SqliteSaver, with every write behind our StateLock and old checkpoints
 * pruned: the saver itself never deletes, and each superstep stores the whole state.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { Checkpoint, CheckpointMetadata, PendingWrite } from "@langchain/langgraph-checkpoint";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";
import type { StateLock } from "../../locking/index.js";
import type { Db } from "./open.js";

export interface LockedSaverOptions {
  /** Checkpoints kept per (thread, namespace); older ones and their writes are deleted. */
  retention: number;
  /** Wraps each locked write (retry on SQLITE_BUSY). */
  retry?: <T>(op: () => Promise<T>) => Promise<T>;
}

export class LockedSqliteSaver extends SqliteSaver {
  private readonly pruneCheckpoints;
  private readonly pruneWrites;

  constructor(db: Db, private readonly lock: StateLock, private readonly opts: LockedSaverOptions) {
    super(db);
    this.pruneCheckpoints = db.prepare(`
      DELETE FROM checkpoints WHERE thread_id = @thread AND checkpoint_ns = @ns AND checkpoint_id < (
        SELECT checkpoint_id FROM checkpoints WHERE thread_id = @thread AND checkpoint_ns = @ns
        ORDER BY checkpoint_id DESC LIMIT 1 OFFSET @skip)`);
    this.pruneWrites = db.prepare(`
      DELETE FROM writes WHERE thread_id = @thread AND checkpoint_ns = @ns AND checkpoint_id < (
        SELECT min(checkpoint_id) FROM checkpoints WHERE thread_id = @thread AND checkpoint_ns = @ns)`);
  }

  private locked<T>(op: () => Promise<T>): Promise<T> {
    const run = () => this.lock.run(op);
    return this.opts.retry ? this.opts.retry(run) : run();
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata): Promise<RunnableConfig> {
    return this.locked(async () => {
      const saved = await super.put(config, checkpoint, metadata);
      this.prune(String(config.configurable?.thread_id), String(config.configurable?.checkpoint_ns ?? ""));
      return saved;
    });
  }

  override putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    return this.locked(() => super.putWrites(config, writes, taskId));
  }

  override deleteThread(threadId: string): Promise<void> {
    return this.locked(() => super.deleteThread(threadId));
  }

  private prune(thread: string, ns: string): void {
    const params = { thread, ns, skip: this.opts.retention - 1 };
    this.db.transaction(() => {
      if (this.pruneCheckpoints.run(params).changes > 0) this.pruneWrites.run({ thread, ns });
    })();
  }
}

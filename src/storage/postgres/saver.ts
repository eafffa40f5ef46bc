/**
 * LangGraph's official PostgresSaver on the store's pool and schema, with the store's retries
 * (a restarted server is waited for) and the same per-thread retention as LockedSqliteSaver:
 * the saver never deletes, so after each put the thread keeps its newest `retention` checkpoints,
 * the writes of those, and the channel blobs they still reference.
 */
import type { RunnableConfig } from "@langchain/core/runnables";
import type { ChannelVersions, Checkpoint, CheckpointMetadata, CheckpointTuple, PendingWrite } from "@langchain/langgraph-checkpoint";
import { PostgresSaver } from "@langchain/langgraph-checkpoint-postgres";
import type { PgCore } from "./core.js";
import { ident } from "./migrations.js";

export interface RetainingSaverOptions {
  schema: string;
  /** Checkpoints kept per (thread, namespace). */
  retention: number;
}

export class RetainingPostgresSaver extends PostgresSaver {
  private readonly prune: { checkpoints: string; writes: string; blobs: string };

  constructor(private readonly core: PgCore, private readonly o: RetainingSaverOptions) {
    super(core.pool, undefined, { schema: o.schema });
    const s = ident(o.schema);
    // checkpoint ids are time-ordered uuid6 strings: compare bytes, whatever the database collation
    this.prune = {
      checkpoints: `DELETE FROM ${s}.checkpoints WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id COLLATE "C" < (
        SELECT checkpoint_id FROM ${s}.checkpoints WHERE thread_id = $1 AND checkpoint_ns = $2
        ORDER BY checkpoint_id COLLATE "C" DESC LIMIT 1 OFFSET $3)`,
      writes: `DELETE FROM ${s}.checkpoint_writes WHERE thread_id = $1 AND checkpoint_ns = $2 AND checkpoint_id COLLATE "C" < (
        SELECT min(checkpoint_id COLLATE "C") FROM ${s}.checkpoints WHERE thread_id = $1 AND checkpoint_ns = $2)`,
      blobs: `DELETE FROM ${s}.checkpoint_blobs b WHERE thread_id = $1 AND checkpoint_ns = $2 AND NOT EXISTS (
        SELECT 1 FROM ${s}.checkpoints c WHERE c.thread_id = b.thread_id AND c.checkpoint_ns = b.checkpoint_ns
          AND c.checkpoint -> 'channel_versions' ->> b.channel = b.version)`,
    };
  }

  override async put(config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata, newVersions: ChannelVersions): Promise<RunnableConfig> {
    const saved = await this.core.retry(() => super.put(config, checkpoint, metadata, newVersions));
    await this.pruneThread(String(config.configurable?.thread_id), String(config.configurable?.checkpoint_ns ?? ""));
    return saved;
  }

  override putWrites(config: RunnableConfig, writes: PendingWrite[], taskId: string): Promise<void> {
    return this.core.retry(() => super.putWrites(config, writes, taskId));
  }

  override getTuple(config: RunnableConfig): Promise<CheckpointTuple | undefined> {
    return this.core.retry(() => super.getTuple(config));
  }

  override deleteThread(threadId: string): Promise<void> {
    return this.core.retry(() => super.deleteThread(threadId));
  }

  /** The store owns the pool: closing a checkpointer must not close it. */
  override async end(): Promise<void> {}

  private async pruneThread(thread: string, ns: string): Promise<void> {
    await this.core.tx(async (c) => {
      const gone = await c.query(this.prune.checkpoints, [thread, ns, this.o.retention - 1]);
      if (!gone.rowCount) return;
      await c.query(this.prune.writes, [thread, ns]);
      await c.query(this.prune.blobs, [thread, ns]);
    });
  }
}

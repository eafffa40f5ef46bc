/** The main side of the WAL checkpoint thread (wal-checkpoint-thread.ts): start it, ask it, close it. */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PACKAGE_ROOT } from "../../version.js";

export type CheckpointMode = "PASSIVE" | "RESTART";
/** What `PRAGMA wal_checkpoint` says: `log` frames in the WAL, `checkpointed` of them copied into the database. */
export interface CheckpointResult { busy: number; log: number; checkpointed: number }

type Reply = { id: number; result?: CheckpointResult; error?: string };

const fromSource = import.meta.url.endsWith(".ts");

// A worker does not inherit tsx's loader (and Node 20 ignores --import for workers): from source, register it first.
const BOOT = `
const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})();`;

export class CheckpointThread {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (r: CheckpointResult) => void; reject: (e: Error) => void }>();
  private gone: Error | undefined;

  private constructor(private readonly worker: Worker) {
    worker.on("message", (m: Reply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (this.waiting.size === 0) worker.unref();
      if (m.result) w.resolve(m.result);
      else w.reject(new Error(`WAL checkpoint failed on its thread: ${m.error}`));
    });
    worker.on("error", (e) => this.fail(new Error(`the WAL checkpoint thread failed: ${e.message}`, { cause: e })));
    worker.on("exit", () => this.fail(new Error("the WAL checkpoint thread has stopped")));
    worker.unref();
  }

  get stopped(): boolean {
    return this.gone !== undefined;
  }

  /** Starts the thread and waits until its connection is open. */
  static async start(path: string, busyTimeoutMs: number): Promise<CheckpointThread> {
    // from the package root, not this file: bundled (bin/bundle.js), this file is not where it was compiled
    const entry = pathToFileURL(join(PACKAGE_ROOT, fromSource ? "src/storage/sqlite/wal-checkpoint-thread.ts" : "dist/src/storage/sqlite/wal-checkpoint-thread.js")).href;
    const tsx = fromSource ? import.meta.resolve("tsx/esm/api") : undefined;
    const worker = new Worker(BOOT, { eval: true, workerData: { entry, tsx, path, busyTimeoutMs } });
    let listeners: [string, (arg: never) => void][] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        listeners = [
          ["message", (m: { ready?: true; failed?: string }) => (m.ready ? resolve() : reject(new Error(m.failed)))],
          ["error", reject],
          ["exit", (code: number) => reject(new Error(`the WAL checkpoint thread exited with code ${code} before it was ready`))],
        ];
        for (const [event, fn] of listeners) worker.once(event, fn as (arg: unknown) => void);
      });
    } catch (e) {
      await worker.terminate();
      throw e;
    } finally {
      // only ours: the Worker's own listeners keep its port referenced while someone listens
      for (const [event, fn] of listeners) worker.off(event, fn as (arg: unknown) => void);
    }
    return new CheckpointThread(worker);
  }

  run(mode: CheckpointMode): Promise<CheckpointResult> {
    if (this.gone) return Promise.reject(this.gone);
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, mode });
    });
  }

  /** Lets the checkpoint in progress finish, then closes the thread's connection. */
  async close(): Promise<void> {
    if (this.gone) return;
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.ref();
    this.worker.postMessage({ close: true });
    await exited;
  }

  private fail(e: Error): void {
    this.gone ??= e;
    for (const w of this.waiting.values()) w.reject(this.gone);
    this.waiting.clear();
  }
}

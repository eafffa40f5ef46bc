/**
 * The start gate, supervisor side (the agent side is src/agents/runtime/start-gate.ts): graph
 * agents spawned while it is closed load their code but wait; open() releases every one that said
 * it is waiting, and releases at once any that says so later.
 */
import type { ChildProcess } from "node:child_process";
import { HELD_MESSAGE, isGateMessage, RELEASE_MESSAGE } from "../agents/runtime/start-gate.js";

export class StartGate {
  private opened = false;
  private readonly waiting = new Set<ChildProcess>();
  /** Held children that have neither said they wait nor exited: still loading their code. */
  private readonly loading = new Set<ChildProcess>();
  private whenLoaded: (() => void)[] = [];

  get isOpen(): boolean {
    return this.opened;
  }

  /** Follows a child spawned held: released when it says it waits and the gate is (or becomes) open. */
  watch(proc: ChildProcess): void {
    this.loading.add(proc);
    const onMessage = (m: unknown) => {
      if (!isGateMessage(m, HELD_MESSAGE)) return;
      proc.off("message", onMessage);
      this.loaded(proc);
      if (this.opened) release(proc);
      else this.waiting.add(proc);
    };
    proc.on("message", onMessage);
    proc.once("exit", () => {
      proc.off("message", onMessage);
      this.waiting.delete(proc);
      this.loaded(proc);
    });
  }

  /** Resolves once every child spawned held so far has loaded its code (said it waits) or exited. */
  allLoaded(): Promise<void> {
    if (this.loading.size === 0) return Promise.resolve();
    return new Promise((done) => this.whenLoaded.push(done));
  }

  private loaded(proc: ChildProcess): void {
    if (!this.loading.delete(proc) || this.loading.size > 0) return;
    for (const done of this.whenLoaded) done();
    this.whenLoaded = [];
  }

  open(): void {
    this.opened = true;
    for (const proc of this.waiting) release(proc);
    this.waiting.clear();
  }
}

function release(proc: ChildProcess): void {
  if (!proc.connected) return; // gone: its exit is handled like any other
  proc.send(RELEASE_MESSAGE, (e) => {
    if (e) proc.kill("SIGKILL"); // a held agent that cannot be released would wait forever
  });
}

/**
 * The start gate, supervisor side (the agent side is src/agents/runtime/start-gate.ts): graph
 * agents spawned while it is closed load their code but wait; initialize() has the first of them
 * to have loaded run the SystemInitializer; open() releases every one that said it is waiting, and
 * releases at once any that says so later. allActive() follows them on until each says it is active.
 */
import type { ChildProcess } from "node:child_process";
import {
  ACTIVE_MESSAGE, HELD_MESSAGE, isGateMessage, RELEASE_MESSAGE, type InitializedMessage, type InitializeRequest,
} from "../agents/runtime/start-gate.js";

/** What initialize() asks a held agent, without the message's tag. */
export type InitializerRun = Omit<InitializeRequest, "bgAgents">;

export class StartGate {
  private opened = false;
  private readonly waiting = new Set<ChildProcess>();
  /** Held children that have neither said they wait nor exited: still loading their code. */
  private readonly loading = new Set<ChildProcess>();
  /** Held children that have not yet said they are active, nor exited. */
  private readonly starting = new Set<ChildProcess>();
  private whenActive: (() => void)[] = [];
  /** Waiting for the next child to say it waits, or for none to be left loading. */
  private whenOneLoaded: ((proc: ChildProcess | undefined) => void)[] = [];

  get isOpen(): boolean {
    return this.opened;
  }

  /** Follows a child spawned held: released when it says it waits and the gate is (or becomes) open. */
  watch(proc: ChildProcess): void {
    this.loading.add(proc);
    this.starting.add(proc);
    const onActive = (m: unknown) => {
      if (!isGateMessage(m, ACTIVE_MESSAGE)) return;
      proc.off("message", onActive);
      this.active(proc);
    };
    proc.on("message", onActive);
    const onMessage = (m: unknown) => {
      if (!isGateMessage(m, HELD_MESSAGE)) return;
      proc.off("message", onMessage);
      this.loaded(proc);
      if (this.opened) release(proc);
      else this.waiting.add(proc);
      this.oneLoaded(proc);
    };
    proc.on("message", onMessage);
    proc.once("exit", () => {
      proc.off("message", onMessage);
      proc.off("message", onActive);
      this.waiting.delete(proc);
      this.loaded(proc);
      this.active(proc);
      if (this.loading.size === 0 && this.waiting.size === 0) this.oneLoaded(undefined);
    });
  }

  /**
   * Runs the SystemInitializer in the first held agent to have loaded (it has LangGraph loaded
   * already, the supervisor's process need not). Resolves with its answer, or `undefined` when no
   * held agent ran it: none is loading or waiting, or the one asked exited before it answered.
   */
  async initialize(run: InitializerRun): Promise<InitializedMessage | undefined> {
    const host = await this.firstWaiting();
    return host ? ask(host, { bgAgents: "initialize", ...run }) : undefined;
  }

  private firstWaiting(): Promise<ChildProcess | undefined> {
    for (const proc of this.waiting) if (proc.connected) return Promise.resolve(proc);
    if (this.loading.size === 0) return Promise.resolve(undefined);
    return new Promise((done) => this.whenOneLoaded.push(done));
  }

  private oneLoaded(proc: ChildProcess | undefined): void {
    const waiters = this.whenOneLoaded;
    this.whenOneLoaded = [];
    for (const done of waiters) done(proc);
  }

  private loaded(proc: ChildProcess): void {
    this.loading.delete(proc);
  }

  /** Resolves once every child spawned held so far has said it is active, or exited. */
  allActive(): Promise<void> {
    if (this.starting.size === 0) return Promise.resolve();
    return new Promise((done) => this.whenActive.push(done));
  }

  private active(proc: ChildProcess): void {
    if (!this.starting.delete(proc) || this.starting.size > 0) return;
    for (const done of this.whenActive) done();
    this.whenActive = [];
  }

  open(): void {
    this.opened = true;
    for (const proc of this.waiting) release(proc);
    this.waiting.clear();
  }
}

function ask(proc: ChildProcess, request: InitializeRequest): Promise<InitializedMessage | undefined> {
  return new Promise((done) => {
    const finish = (answer: InitializedMessage | undefined) => {
      proc.off("message", onMessage);
      proc.off("exit", onExit);
      done(answer);
    };
    const onMessage = (m: unknown) => {
      if (isGateMessage(m, { bgAgents: "initialized" })) finish(m as InitializedMessage);
    };
    const onExit = () => finish(undefined);
    proc.on("message", onMessage);
    proc.once("exit", onExit);
    proc.send(request, (e) => {
      if (e) finish(undefined);
    });
  });
}

function release(proc: ChildProcess): void {
  if (!proc.connected) return; // gone: its exit is handled like any other
  proc.send(RELEASE_MESSAGE, (e) => {
    if (e) proc.kill("SIGKILL"); // a held agent that cannot be released would wait forever
  });
}

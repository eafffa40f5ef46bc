/**
 * The start gate with real child processes over a real IPC channel: a held agent waits (and stays
 * alive) until the gate opens, one that says it waits after the gate opened goes on at once,
 * SIGTERM ends the wait, and an agent started without the gate never waits. allActive() waits for
 * each held agent to say it is active (or exit). initialize() asks the
 * first held agent to have loaded to run the SystemInitializer and hands back its answer (a
 * failure with its code), or nothing when no held agent could run it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { HELD_ENV } from "../../src/agents/runtime/start-gate.js";
import { StartGate } from "../../src/supervisor/start-gate.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { sleep, waitFor } from "../helpers/wait.js";

const FIXTURE = resolve(REPO_ROOT, "test/supervisor/fixtures/held-agent.ts");
const TSX = pathToFileURL(resolve(REPO_ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const children: ChildProcess[] = [];

interface Held { proc: ChildProcess; out: () => string; exited: Promise<number | null> }

function start(held: boolean, init = "ok", active = false): Held {
  const proc = spawn(process.execPath, ["--import", TSX, FIXTURE], {
    env: { ...process.env, NODE_OPTIONS: "", [HELD_ENV]: held ? "1" : "", HELD_INIT: init, HELD_ACTIVE: active ? "1" : "" },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  children.push(proc);
  let out = "";
  proc.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((done) => proc.once("exit", (code) => done(code)));
  return { proc, out: () => out, exited };
}

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

describe("StartGate", () => {
  it("holds a loaded agent until the gate opens", async () => {
    const gate = new StartGate();
    const a = start(true);
    gate.watch(a.proc);
    await waitFor(() => a.out().includes("loaded"), { timeoutMs: 30_000 });
    await sleep(300);
    expect(a.out()).not.toContain("released");
    expect(a.proc.exitCode).toBeNull(); // waiting keeps it alive
    gate.open();
    expect(await a.exited).toBe(0);
    expect(a.out()).toContain("released");
  });

  it("releases at once an agent that says it waits after the gate opened", async () => {
    const gate = new StartGate();
    const a = start(true);
    gate.watch(a.proc);
    gate.open();
    expect(await a.exited).toBe(0);
    expect(a.out()).toContain("released");
  });

  it("says when every held agent is active: once it says so, not when it is released", async () => {
    const gate = new StartGate();
    const a = start(true, "ok", true);
    gate.watch(a.proc);
    let active = false;
    void gate.allActive().then(() => (active = true));
    gate.open();
    await waitFor(() => a.out().includes("released"), { timeoutMs: 30_000 });
    expect(active).toBe(false);
    await waitFor(() => active, { timeoutMs: 10_000 });
    await waitFor(() => a.out().includes("active"), { timeoutMs: 10_000 }); // its stdout may come after the message
    expect(a.proc.exitCode).toBeNull(); // the message said so, not its exit
    a.proc.kill("SIGTERM");
    expect(await a.exited).toBe(0);
  });

  it("ends the wait on SIGTERM, and counts an agent that exits as active", async () => {
    const gate = new StartGate();
    const a = start(true);
    gate.watch(a.proc);
    await waitFor(() => a.out().includes("loaded"), { timeoutMs: 30_000 });
    a.proc.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    expect(a.out()).toContain("aborted");
    await gate.allActive();
  });

  it("does not hold an agent started without the gate", async () => {
    const a = start(false);
    expect(await a.exited).toBe(0);
    expect(a.out()).toContain("released");
  });

  const run = { name: "SystemInitializer@host-a", agents: ["A", "B"], sessionId: "s-1", self: { pid: 4242 } };

  it("has the first held agent to load run the initializer, then releases it with the rest", async () => {
    const gate = new StartGate();
    const a = start(true);
    gate.watch(a.proc);
    const answer = await gate.initialize(run);
    expect(answer).toEqual({ bgAgents: "initialized" });
    expect(a.out()).toContain("initialize SystemInitializer@host-a A,B s-1 pid 4242");
    expect(a.out()).not.toContain("released"); // still held until the gate opens
    gate.open();
    expect(await a.exited).toBe(0);
    expect(a.out()).toContain("released");
  });

  it("hands back a failed initializer's message and code", async () => {
    const gate = new StartGate();
    const a = start(true, "fail");
    gate.watch(a.proc);
    const answer = await gate.initialize(run);
    expect(answer?.error).toEqual({ code: "DB_CORRUPT", message: "injected: the database failed its integrity check" });
    a.proc.kill("SIGTERM");
    expect(await a.exited).toBe(0);
  });

  it("answers nothing when the agent asked exits, or when no held agent is left to ask", async () => {
    const gate = new StartGate();
    expect(await gate.initialize(run)).toBeUndefined(); // none spawned
    const a = start(true, "exit");
    gate.watch(a.proc);
    expect(await gate.initialize(run)).toBeUndefined();
    expect(await a.exited).toBe(7);
    const b = start(true);
    gate.watch(b.proc);
    b.proc.kill("SIGKILL"); // gone before it loaded
    expect(await gate.initialize(run)).toBeUndefined();
    expect(b.out()).not.toContain("initialize");
  });
});

/**
 * The start gate with real child processes over a real IPC channel: a held agent waits (and stays
 * alive) until the gate opens, one that says it waits after the gate opened goes on at once,
 * SIGTERM ends the wait, and an agent started without the gate never waits.
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

function start(held: boolean): Held {
  const proc = spawn(process.execPath, ["--import", TSX, FIXTURE], {
    env: { ...process.env, NODE_OPTIONS: "", [HELD_ENV]: held ? "1" : "" },
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
  it("holds a loaded agent until the gate opens, and says when every held agent has loaded", async () => {
    const gate = new StartGate();
    const a = start(true);
    gate.watch(a.proc);
    let loaded = false;
    void gate.allLoaded().then(() => (loaded = true));
    await waitFor(() => a.out().includes("loaded"), { timeoutMs: 30_000 });
    await waitFor(() => loaded, { timeoutMs: 10_000 });
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

  it("ends the wait on SIGTERM, and counts an agent that exits as loaded", async () => {
    const gate = new StartGate();
    const a = start(true);
    gate.watch(a.proc);
    await waitFor(() => a.out().includes("loaded"), { timeoutMs: 30_000 });
    a.proc.kill("SIGTERM");
    expect(await a.exited).toBe(0);
    expect(a.out()).toContain("aborted");
    await gate.allLoaded();
  });

  it("does not hold an agent started without the gate", async () => {
    const a = start(false);
    expect(await a.exited).toBe(0);
    expect(a.out()).toContain("released");
  });
});

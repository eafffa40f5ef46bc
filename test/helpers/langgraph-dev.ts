/**
 * The real LangGraph CLI dev server (`langgraphjs dev`) for integration tests. It runs in a temp
 * project dir holding a copy of the repo's langgraph.json (graph paths made absolute) and a
 * node_modules link, so its `.langgraph_api/` and `.gitignore` edit land there, not in the repo.
 * It is started in its own process group; `stop()` ends the whole group (CLI, API server, tsx,
 * esbuild), also when a test failed. `stopDevServers()` in afterAll/afterEach stops any left.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { isAbsolute, join, resolve } from "node:path";
import { REPO_ROOT } from "./processes.js";
import { makeTempDir } from "./temp-dir.js";
import { sleep } from "./wait.js";

const CLI = resolve(REPO_ROOT, "node_modules/@langchain/langgraph-cli/dist/cli/cli.mjs");

export interface DevServer {
  readonly url: string;
  readonly port: number;
  /** The temp project dir (cwd of the server). */
  readonly dir: string;
  readonly pid: number;
  output(): string;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the whole group is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole group at once (a crash: nothing is flushed); resolves when it is gone. */
  kill(): Promise<void>;
}

export interface DevServerOptions {
  env?: Record<string, string>;
  /** More graphs for langgraph.json (id → "path:export", path relative to the repo). */
  graphs?: Record<string, string>;
  /** @defaultValue 120_000 (tsx compiles every graph on start; slow on a loaded machine) */
  startTimeoutMs?: number;
  /** Start again in this project dir (a server's `dir`: its `.langgraph_api/` state is kept). */
  dir?: string;
  /** Listen on this port (a restart on the same address) instead of a free one. */
  port?: number;
}

const live = new Set<DevServer>();

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** A temp project: langgraph.json with the repo's graphs by absolute path, node_modules linked. */
export function devProject(extra: Record<string, string> = {}): { dir: string; graphs: string[] } {
  const dir = makeTempDir("bga-langgraph-dev-");
  const config = JSON.parse(readFileSync(join(REPO_ROOT, "langgraph.json"), "utf8")) as { graphs: Record<string, string>; env?: unknown };
  Object.assign(config.graphs, extra);
  for (const [id, spec] of Object.entries(config.graphs)) {
    const [file, symbol] = spec.split(":");
    config.graphs[id] = `${isAbsolute(file!) ? file : resolve(REPO_ROOT, file!)}:${symbol ?? "graph"}`;
  }
  delete config.env; // the test passes its environment explicitly
  writeFileSync(join(dir, "langgraph.json"), JSON.stringify(config, null, 2));
  // the repo's .gitignore, to show the CLI finds `.langgraph_api` listed and leaves the file alone
  copyFileSync(join(REPO_ROOT, ".gitignore"), join(dir, ".gitignore"));
  // the dev server resolves @langchain/langgraph from its project dir
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"), "dir");
  return { dir, graphs: Object.keys(config.graphs) };
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

function launch(dir: string, port: number, env: Record<string, string>): { proc: ChildProcess; out: { text: string } } {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(LANGSMITH_|LANGCHAIN_)/.test(k)));
  const proc = spawn(process.execPath, [CLI, "dev", "--port", String(port), "--host", "127.0.0.1", "--no-browser", "--no-reload", "--config", join(dir, "langgraph.json")], {
    cwd: dir,
    detached: true, // its own process group: stop() kills the CLI and everything it started
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...base, NODE_OPTIONS: "", LANGGRAPH_CLI_NO_ANALYTICS: "1", BROWSER: "none", NO_COLOR: "1", ...env },
  });
  const out = { text: "" };
  proc.stdout!.setEncoding("utf8").on("data", (d: string) => (out.text += d));
  proc.stderr!.setEncoding("utf8").on("data", (d: string) => (out.text += d));
  return { proc, out };
}

/** Starts the dev server on a free port; retries on another port if that one was taken meanwhile. */
export async function startDevServer(opts: DevServerOptions = {}): Promise<DevServer> {
  const dir = opts.dir ?? devProject(opts.graphs).dir;
  const timeoutMs = opts.startTimeoutMs ?? 120_000;
  for (let attempt = 1; ; attempt++) {
    const port = opts.port ?? (await freePort());
    const { proc, out } = launch(dir, port, opts.env ?? {});
    const pid = proc.pid!;
    let exited = false;
    proc.once("exit", () => (exited = true));
    const server: DevServer = {
      url: `http://127.0.0.1:${port}`, port, dir, pid,
      output: () => out.text,
      stop: async (graceMs = 5_000) => {
        live.delete(server);
        if (groupAlive(pid)) process.kill(-pid, "SIGTERM");
        const deadline = Date.now() + graceMs;
        while (groupAlive(pid) && Date.now() < deadline) await sleep(50);
        if (groupAlive(pid)) process.kill(-pid, "SIGKILL");
        // (a zombie nobody reaps still counts as alive: don't wait for ever)
        const killDeadline = Date.now() + 10_000;
        while (groupAlive(pid) && Date.now() < killDeadline) await sleep(20);
      },
      kill: async () => {
        live.delete(server);
        if (groupAlive(pid)) process.kill(-pid, "SIGKILL");
        const killDeadline = Date.now() + 10_000;
        while (groupAlive(pid) && Date.now() < killDeadline) await sleep(20);
      },
    };
    live.add(server);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      // the CLI does not exit when its port is taken: it only logs EADDRINUSE
      if (/EADDRINUSE/.test(out.text) && opts.port !== undefined) {
        await server.stop();
        throw new Error(`langgraphjs dev: port ${port} is taken; output:\n${out.text.slice(-3000)}`);
      }
      if (/EADDRINUSE/.test(out.text) && attempt < 3) break;
      if (exited) {
        await server.stop();
        throw new Error(`langgraphjs dev exited before serving; output:\n${out.text.slice(-3000)}`);
      }
      const ok = await fetch(`${server.url}/ok`).then((r) => r.ok, () => false);
      if (ok) return server;
      if (Date.now() > deadline) {
        await server.stop();
        throw new Error(`langgraphjs dev did not answer /ok within ${timeoutMs} ms; output:\n${out.text.slice(-3000)}`);
      }
      await sleep(250);
    }
    await server.stop();
  }
}

export async function stopDevServers(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop()));
}

/**
 * `bg-agents dashboard` as a real process: serves the API on the given port until SIGTERM (exit 0),
 * and refuses a non-loopback address without API_TOKEN, or a port another process holds (exit 2,
 * message says what to do).
 */
import { spawn } from "node:child_process";
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SharedState } from "../../src/storage/sqlite/index.js";
import { REPO_ROOT } from "../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../helpers/temp-dir.js";

const live = new Set<ReturnType<typeof spawn>>();
afterEach(() => {
  for (const p of live) p.kill("SIGKILL");
  live.clear();
  removeTempDirs();
});

/** The dashboard serves an existing database only (a missing one is refused, see test/cli/dashboard-db.int.test.ts). */
async function cli(args: string[], env: Record<string, string> = {}) {
  const dir = makeTempDir();
  await (await SharedState.open({ path: join(dir, "state.db") })).close();
  const proc = spawn(process.execPath, [join(REPO_ROOT, "bin/bg-agents.js"), ...args], {
    cwd: dir,
    env: { ...process.env, NODE_OPTIONS: "", BG_AGENTS_FROM_SOURCE: "1", API_TOKEN: "", DATABASE_PATH: join(dir, "state.db"), LOG_DIR: join(dir, "logs"), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(proc);
  let stdout = "";
  let stderr = "";
  proc.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  proc.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  return { proc, exited, out: () => stdout, err: () => stderr };
}

describe("bg-agents dashboard", () => {
  it("serves the API until SIGTERM and exits 0", async () => {
    const c = await cli(["dashboard", "--port", "0", "--json"]);
    const deadline = Date.now() + 30_000;
    while (!c.out().includes("\n")) {
      if (Date.now() > deadline || c.proc.exitCode !== null) throw new Error(`no address printed; stderr: ${c.err()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const { url } = JSON.parse(c.out()) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${url}/api/summary`)).json()).toMatchObject({ total: 0, line: "Active agents: 0/0" });
    expect((await fetch(url)).headers.get("content-type")).toMatch(/text\/html/);
    c.proc.kill("SIGTERM");
    expect(await c.exited).toBe(0);
  });

  it("refuses 0.0.0.0 without API_TOKEN with exit 2", async () => {
    const c = await cli(["dashboard", "--host", "0.0.0.0", "--port", "0"]);
    expect(await c.exited).toBe(2);
    expect(c.err()).toMatch(/Refusing to bind .*0\.0\.0\.0.*API_TOKEN/);
  });

  it("refuses a port in use with exit 2 and one line, or a JSON error with --json", async () => {
    const taken = createServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    const port = (taken.address() as AddressInfo).port;
    try {
      const c = await cli(["dashboard", "--port", String(port), "--json"]);
      expect(await c.exited).toBe(2);
      expect(JSON.parse(c.out())).toEqual({ error: { code: "PORT_IN_USE", message: expect.stringContaining(`Port ${port} on 127.0.0.1 is already in use`) } });
      expect(c.err()).toBe(`bg-agents: Port ${port} on 127.0.0.1 is already in use. Set DASHBOARD_PORT (or --port) to a free port, or 0 for any free port.\n`);
    } finally {
      await new Promise((r) => taken.close(r));
    }
  });
});

/**
 * A throw-away PostgreSQL cluster for one test file (FACTS.md "PostgreSQL"): initdb --no-sync into
 * a temp dir, pg_ctl on 127.0.0.1 and a free port, socket in the temp dir, fsync off, run as user
 * `postgres` (tests run as root). `freshDatabase()` gives each test its own database.
 * `destroy()` (afterAll) stops the server and removes the directory; a process exit does it too,
 * so a failed run leaves no cluster behind. Throws when no PostgreSQL binaries are installed:
 * tests must not skip (CI installs Debian's `postgresql`, see .ci/run).
 */
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/** The newest /usr/lib/postgresql/<major>/bin that has initdb, or undefined. */
export function postgresBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  return majors.map((v) => join(root, v, "bin")).find((bin) => existsSync(join(bin, "initdb")));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A role of every cluster that must give its password (PASSWORD); every other user is trusted. */
export const PASSWORD_USER = "bga_pw";
export const PASSWORD = "right-password";

export interface PgCluster {
  readonly port: number;
  readonly dir: string;
  /** A connection string for `database` (default `postgres`). */
  url(database?: string): string;
  /** Creates an empty database with a unique name; returns its URL. */
  freshDatabase(): Promise<string>;
  /** Stops the server (fast shutdown: open sessions are cut), keeping the data. */
  stop(): void;
  /** Starts it again on the same port and data. */
  start(): void;
  /** Stops the server and removes the cluster directory (idempotent). */
  destroy(): void;
}

const running = new Set<PgCluster>();
process.once("exit", () => {
  for (const c of running) c.destroy();
});

function asPostgres(bin: string, args: string[]): void {
  execFileSync("runuser", ["-u", "postgres", "--", bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
}

export interface ClusterOptions {
  /** Addresses to listen on besides 127.0.0.1 (e.g. a veth's host side), trusted in pg_hba as /32. */
  alsoListen?: string[];
}

export async function startCluster(opts: ClusterOptions = {}): Promise<PgCluster> {
  const bin = postgresBinDir();
  if (!bin) {
    throw new Error("No PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb): install Debian's package: apt-get install -y postgresql");
  }
  const dir = mkdtempSync(join(tmpdir(), "bga-pg-"));
  chownSync(dir, uid("postgres"), gid("postgres"));
  const data = join(dir, "data");
  const port = await freePort();
  const listen = ["127.0.0.1", ...(opts.alsoListen ?? [])].join(",");
  const settings = `-c listen_addresses=${listen} -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  let up = false;
  let counter = 0;
  const cluster: PgCluster = {
    port,
    dir,
    url: (database = "postgres") => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async freshDatabase() {
      const name = `t${process.pid}_${++counter}`;
      const admin = new pg.Client({ connectionString: cluster.url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      return cluster.url(name);
    },
    stop() {
      if (!up) return;
      asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", "fast", "-w", "-t", "30", "stop"]);
      up = false;
    },
    start() {
      if (up) return;
      asPostgres(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "log"), "-w", "-t", "30", "-o", settings, "start"]);
      up = true;
    },
    destroy() {
      try {
        cluster.stop();
      } catch {
        /* already gone: remove the files anyway */
      }
      running.delete(cluster);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  running.add(cluster);
  try {
    asPostgres(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
    // every user is trusted except PASSWORD_USER, so a test can see a wrong password refused
    writeFileSync(join(data, "pg_hba.conf"), [
      `host all ${PASSWORD_USER} 127.0.0.1/32 scram-sha-256`,
      "local all all trust",
      "host all all 127.0.0.1/32 trust",
      ...(opts.alsoListen ?? []).map((a) => `host all all ${a.split(".").slice(0, 3).join(".")}.0/24 trust`),
      "",
    ].join("\n"));
    cluster.start();
    const admin = new pg.Client({ connectionString: cluster.url() });
    await admin.connect();
    await admin.query(`CREATE ROLE ${PASSWORD_USER} LOGIN SUPERUSER PASSWORD '${PASSWORD}'`).finally(() => admin.end());
  } catch (e) {
    cluster.destroy();
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`could not start a PostgreSQL cluster: ${err.stderr?.toString() || err.message}`);
  }
  return cluster;
}

function uid(user: string): number {
  return Number(execFileSync("id", ["-u", user]).toString().trim());
}
function gid(user: string): number {
  return Number(execFileSync("id", ["-g", user]).toString().trim());
}

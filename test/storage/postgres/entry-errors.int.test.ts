/**
 * Start-up problems with DATABASE_URL reach the user as one line naming the variable, exit 2,
 * from the CLI (`bg-agents status`) and from a long-running entry point (`bg-agents monitor`),
 * the same way a bad SQLite file does; a password in the URL is never printed.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { killCliChildren, runCli } from "../../helpers/cli.js";
import { freePort, PASSWORD_USER, startCluster, type PgCluster } from "../../helpers/postgres.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());
afterEach(async () => {
  await killCliChildren();
  removeTempDirs();
});

const lines = (s: string) => s.trim().split("\n").filter(Boolean);

describe("DATABASE_URL problems at start-up", () => {
  it("status: a refused connection exits 2 with one line", async () => {
    const r = await runCli(["status"], { cwd: makeTempDir(), env: { DATABASE_URL: `postgres://postgres:s3cret@127.0.0.1:${await freePort()}/x`, RETRY_ATTEMPTS: "1" } });
    expect(r.code).toBe(2);
    expect(lines(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^bg-agents: Cannot reach PostgreSQL at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. Check DATABASE_URL/);
    expect(r.stderr).not.toContain("s3cret");
  });

  it("status: a URL of another scheme is a config error naming DATABASE_URL", async () => {
    const r = await runCli(["status"], { cwd: makeTempDir(), env: { DATABASE_URL: "mysql://root:s3cret@db/x" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bg-agents: DATABASE_URL=\(hidden\) is invalid: expected a URL starting with postgres:\/\//);
    expect(r.stderr).not.toContain("s3cret");
  });

  it("monitor: a wrong password and a missing database exit 2 with one line each", async () => {
    const wrong = await runCli(["monitor"], { cwd: makeTempDir(), env: { DATABASE_URL: `postgresql://${PASSWORD_USER}:s3cret@127.0.0.1:${cluster.port}/postgres` } });
    expect(wrong.code).toBe(2);
    expect(lines(wrong.stderr)).toEqual([expect.stringMatching(/^bg-agents: PostgreSQL at 127\.0\.0\.1:\d+ refused user bga_pw .+Check the user and password in DATABASE_URL/)]);
    expect(wrong.stderr).not.toContain("s3cret");

    const missing = await runCli(["monitor"], { cwd: makeTempDir(), env: { DATABASE_URL: cluster.url("nowhere") } });
    expect(missing.code).toBe(2);
    expect(lines(missing.stderr)).toEqual([expect.stringMatching(/^bg-agents: PostgreSQL at 127\.0\.0\.1:\d+ has no database "nowhere"\. Create it \(createdb nowhere\) or fix the database name in DATABASE_URL\.$/)]);
  });

  it("status works on a reachable server", async () => {
    const r = await runCli(["status", "--json"], { cwd: makeTempDir(), env: { DATABASE_URL: await cluster.freshDatabase() } });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ agents: [], summary: { total: 0 } });
  });
});

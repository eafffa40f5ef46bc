/**
 * Runs LangGraph's checkpointer conformance suite against PgStore's saver (PostgresSaver with our
 * retries and retention) in a nested vitest (test/validation/vitest.postgres.config.ts: the suite
 * needs vitest globals), on a throw-away cluster, and checks its JSON report: everything passes.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startCluster, type PgCluster } from "../../helpers/postgres.js";
import { REPO_ROOT } from "../../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { assertionResults: { title: string; status: string }[] }[];
}

let cluster: PgCluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(() => cluster?.destroy());
afterEach(() => removeTempDirs());

function runSuite(outputFile: string, url: string): Promise<string> {
  // a nested vitest must not think it is a worker of this one
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS"));
  const proc = spawn(process.execPath, [
    resolve(REPO_ROOT, "node_modules/vitest/vitest.mjs"), "run",
    "--config", "test/validation/vitest.postgres.config.ts",
    "--reporter=json", `--outputFile=${outputFile}`,
  ], { cwd: REPO_ROOT, env: { ...env, BGA_VALIDATE_PG_URL: url }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  proc.stdout.on("data", (d) => (output += d));
  proc.stderr.on("data", (d) => (output += d));
  return new Promise((res) => proc.once("exit", () => res(output)));
}

describe("PgStore checkpointer conformance", () => {
  it("passes every test of @langchain/langgraph-checkpoint-validation", async () => {
    const out = join(makeTempDir(), "report.json");
    const output = await runSuite(out, await cluster.freshDatabase());
    let report: JsonReport;
    try {
      report = JSON.parse(readFileSync(out, "utf8")) as JsonReport;
    } catch (e) {
      throw new Error(`the conformance suite wrote no report: ${(e as Error).message}\n${output.slice(-3000)}`);
    }
    const notPassed = report.testResults.flatMap((f) => f.assertionResults).filter((r) => r.status !== "passed");
    console.info(`PostgreSQL checkpointer conformance: ${report.numPassedTests}/${report.numTotalTests} passed; not passed: ${notPassed.map((r) => r.title).join("; ") || "none"}`);
    expect(report.numTotalTests).toBeGreaterThanOrEqual(700);
    expect(report.numPendingTests + report.numTodoTests).toBe(0);
    expect(notPassed).toEqual([]);
    expect(report.numPassedTests).toBe(report.numTotalTests);
  }, 300_000);
});

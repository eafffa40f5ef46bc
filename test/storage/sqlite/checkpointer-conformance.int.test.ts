/**
 * Runs LangGraph's checkpointer conformance suite against our locked saver in a nested vitest
 * (test/validation/vitest.config.ts: the suite needs vitest globals) and checks its JSON report:
 * everything passes except, at most, the one test the official SqliteSaver fails too.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../helpers/processes.js";
import { makeTempDir, removeTempDirs } from "../../helpers/temp-dir.js";

/**
 * SqliteSaver stores the whole checkpoint, not the channels changed per `newVersions`; the suite
 * skips this test for the official saver by name. Our saver wraps it, so it fails the same way.
 */
const KNOWN_FAILURE = "should only store channel_values that have changed (based on newVersions)";

interface JsonReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { assertionResults: { title: string; fullName: string; status: string }[] }[];
}

afterEach(() => removeTempDirs());

function runSuite(outputFile: string): Promise<{ code: number | null; output: string }> {
  // a nested vitest must not think it is a worker of this one
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && k !== "NODE_OPTIONS"));
  const proc = spawn(process.execPath, [
    resolve(REPO_ROOT, "node_modules/vitest/vitest.mjs"), "run",
    "--config", "test/validation/vitest.config.ts",
    "--reporter=json", `--outputFile=${outputFile}`,
  ], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  proc.stdout.on("data", (d) => (output += d));
  proc.stderr.on("data", (d) => (output += d));
  return new Promise((res) => proc.once("exit", (code) => res({ code, output })));
}

describe("LockedSqliteSaver conformance", () => {
  it("passes @langchain/langgraph-checkpoint-validation except the one test SqliteSaver fails too", async () => {
    const out = join(makeTempDir(), "report.json");
    const { output } = await runSuite(out);
    let report: JsonReport;
    try {
      report = JSON.parse(readFileSync(out, "utf8")) as JsonReport;
    } catch (e) {
      throw new Error(`the conformance suite wrote no report: ${(e as Error).message}\n${output.slice(-3000)}`);
    }
    const results = report.testResults.flatMap((f) => f.assertionResults);
    const notPassed = results.filter((r) => r.status !== "passed");
    console.info(`checkpointer conformance: ${report.numPassedTests}/${report.numTotalTests} passed; not passed: ${notPassed.map((r) => r.title).join("; ") || "none"}`);

    expect(report.numTotalTests).toBeGreaterThanOrEqual(700);
    expect(report.numPendingTests + report.numTodoTests).toBe(0);
    expect(notPassed.length).toBeLessThanOrEqual(1);
    for (const r of notPassed) expect(r.title).toBe(KNOWN_FAILURE);
    expect(report.numPassedTests).toBe(report.numTotalTests - notPassed.length);
  }, 300_000);
});

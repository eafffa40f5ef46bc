/** Runs a diagnostic with a progress line, then prints its findings (or JSON) and picks the exit code. */
import type { Finding, Verdict } from "../../diagnostics/index.js";
import { EXIT } from "../support/run.js";
import { colourEnabled, painter } from "./colour.js";
import { renderFindings, renderVerdict } from "./findings.js";
import { printJson } from "./json.js";
import { startProgress } from "./progress.js";

export interface FindingsReport {
  verdict: Verdict;
  findings: readonly Finding[];
}

export async function withProgress<T>(label: string, work: (step: (s: string) => void) => Promise<T>): Promise<T> {
  const progress = startProgress(label);
  try {
    return await work((s) => progress.update(s));
  } finally {
    progress.done();
  }
}

/** Prints `head` and the findings (or the whole report as JSON); exit 1 when the verdict is "fail". */
export function printReport(report: FindingsReport, head: string, json: boolean | undefined): number {
  if (json) {
    printJson(report);
  } else {
    const paint = painter(colourEnabled());
    process.stdout.write(`${head}\n\n${renderFindings(report.findings, paint)}\n\n${renderVerdict(report.verdict, report.findings, paint)}\n`);
  }
  return report.verdict === "fail" ? EXIT.PROBLEMS : EXIT.OK;
}

/**
 * What a diagnosis reports: findings, each with a status, what was found and what to do (the
 * command to run). Shared by db-check, doctor and anything else (the HTTP server) that shows them.
 */
export type FindingStatus = "ok" | "info" | "warn" | "fail" | "skip";

export interface Finding {
  /** Stable id for scripts ("db.integrity", "agents.stuck-initializing"). */
  id: string;
  title: string;
  status: FindingStatus;
  /** What was found, one line. */
  detail: string;
  /** What to do, most useful first; commands are runnable as written. */
  fix?: string[];
  /** Extra lines shown under the finding (agent names, lock holders). */
  items?: string[];
}

export type Verdict = "ok" | "warn" | "fail";

export function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((f) => f.status === "fail")) return "fail";
  if (findings.some((f) => f.status === "warn")) return "warn";
  return "ok";
}

export function countBy(findings: readonly Finding[], status: FindingStatus): number {
  return findings.filter((f) => f.status === status).length;
}

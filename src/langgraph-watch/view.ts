/** The report as JSON for the API and `bg-agents langgraph-runs --json`: times as ISO strings. */
import type { Finding, LangGraphRunsReport } from "./types.js";

const iso = (t: number | undefined) => (t === undefined ? null : new Date(t).toISOString());

export type FindingView = Omit<Finding, "createdAt" | "lastProgressAt"> & { createdAt: string | null; lastProgressAt: string | null };

export interface LangGraphRunsView extends Omit<LangGraphRunsReport, "checkedAt" | "lastOkAt" | "findings"> {
  checkedAt: string | null;
  lastOkAt: string | null;
  findings: FindingView[];
}

export function toLangGraphRunsView(r: LangGraphRunsReport): LangGraphRunsView {
  return {
    ...r,
    checkedAt: iso(r.checkedAt),
    lastOkAt: iso(r.lastOkAt),
    findings: r.findings.map((f) => ({ ...f, createdAt: iso(f.createdAt || undefined), lastProgressAt: iso(f.lastProgressAt || undefined) })),
  };
}

/** What the API answers when LANGGRAPH_API_URL is unset. */
export const WATCHER_OFF = {
  enabled: false,
  note: "No LangGraph server is watched: set LANGGRAPH_API_URL (e.g. http://127.0.0.1:2024 for langgraphjs dev) and restart the dashboard.",
} as const;

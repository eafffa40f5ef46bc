/**
 * LangSmith settings from the standard environment variables (LANGSMITH_TRACING, LANGSMITH_API_KEY,
 * LANGSMITH_PROJECT, LANGSMITH_ENDPOINT, with the older LANGCHAIN_* names as fallbacks).
 * LangChain reads the same variables itself to trace every graph run; this module only describes
 * them, so agents can log whether tracing is on and the bridge knows where to read runs from.
 */

export const DEFAULT_ENDPOINT = "https://api.smith.langchain.com";
export const DEFAULT_PROJECT = "default";

export interface TracingSettings {
  /** LangChain sends a trace of every graph run (LANGSMITH_TRACING=true). */
  tracing: boolean;
  apiKey: string | undefined;
  /** LangSmith API URL, without a trailing slash. */
  endpoint: string;
  project: string;
  /** Why traces cannot be sent or read, when that is so (for logs and the bridge's state reason). */
  offReason: string | undefined;
}

const TRACING_FLAGS = ["LANGSMITH_TRACING_V2", "LANGSMITH_TRACING", "LANGCHAIN_TRACING_V2", "LANGCHAIN_TRACING"];

const pick = (env: NodeJS.ProcessEnv, ...names: string[]): string | undefined => {
  for (const n of names) {
    const v = env[n]?.trim().replace(/^["']|["']$/g, "");
    if (v) return v;
  }
  return undefined;
};

export function tracingSettings(env: NodeJS.ProcessEnv = process.env): TracingSettings {
  // LangChain's own test: any of the flags equal to "true"
  const tracing = TRACING_FLAGS.some((n) => env[n] === "true");
  const apiKey = pick(env, "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY");
  const endpoint = (pick(env, "LANGSMITH_ENDPOINT", "LANGCHAIN_ENDPOINT") ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
  const project = pick(env, "LANGSMITH_PROJECT", "LANGCHAIN_PROJECT") ?? DEFAULT_PROJECT;
  const offReason = apiKey ? undefined : "LANGSMITH_API_KEY is not set";
  return { tracing, apiKey, endpoint, project, offReason };
}

/** One line for the start-up log: where traces go, or why they don't. */
export function describeTracing(s: TracingSettings): string {
  if (!s.tracing) return "LangSmith tracing off (set LANGSMITH_TRACING=true and LANGSMITH_API_KEY to turn it on)";
  if (!s.apiKey) return "LangSmith tracing asked for (LANGSMITH_TRACING=true) but LANGSMITH_API_KEY is not set: LangSmith will reject the traces";
  return `LangSmith tracing on: project "${s.project}" at ${s.endpoint}`;
}

/**
 * The SDK client the watcher uses: no retries of its own (the watcher polls again on its next
 * read), a time limit per request, the API key only when LANGGRAPH_API_KEY is set (the SDK would
 * otherwise send LANGSMITH_API_KEY to whatever server LANGGRAPH_API_URL names).
 */
import { Client } from "@langchain/langgraph-sdk";

export interface LangGraphClientOptions {
  apiUrl: string;
  apiKey?: string;
  /** @defaultValue 10_000 */
  timeoutMs?: number;
}

/**
 * `runs.cancel(thread, run, false)` sends `?wait=0`, which the JS server reads as true
 * (`z.coerce.boolean("0")`) and then waits for the run to end — for ever, for a run whose worker
 * died. Without the parameter both servers answer at once.
 */
function dropFalseWait(url: URL, init: RequestInit): RequestInit {
  if (url.pathname.endsWith("/cancel") && url.searchParams.get("wait") === "0") url.searchParams.delete("wait");
  return init;
}

export function createLangGraphClient(o: LangGraphClientOptions): Client {
  return new Client({
    apiUrl: o.apiUrl,
    apiKey: o.apiKey ?? null,
    timeoutMs: o.timeoutMs ?? 10_000,
    callerOptions: { maxRetries: 0 },
    onRequest: dropFalseWait,
  });
}

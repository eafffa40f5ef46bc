/** The LangGraph watcher's typed errors (the HTTP layer maps them to 404/409/502). */
import { BgAgentsError, namedErrorGuard } from "../errors/index.js";

export type LangGraphWatchErrorCode =
  /** the server did not answer, or answered 5xx */
  | "LANGGRAPH_UNREACHABLE"
  /** the server answered with another 4xx (a wrong LANGGRAPH_API_KEY: 401/403) */
  | "LANGGRAPH_REFUSED"
  /** no such thread/run on the server */
  | "LANGGRAPH_RUN_NOT_FOUND"
  /** the cancel was accepted but the run is still active (no worker holds it) */
  | "LANGGRAPH_RUN_STILL_ACTIVE"
  /** delete asked for a run that is not stuck (it progresses, or has ended) */
  | "LANGGRAPH_RUN_NOT_STUCK";

export class LangGraphWatchError extends BgAgentsError {
  constructor(code: LangGraphWatchErrorCode, message: string, readonly runStatus?: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = "LangGraphWatchError";
  }
}

export const isLangGraphWatchError = namedErrorGuard<LangGraphWatchError>("LangGraphWatchError");

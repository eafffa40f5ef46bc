/** The LangGraph server watcher (LANGGRAPH_API_URL): stuck runs, errored runs, busy threads; cancel. */
export { classify, countFindings, lastProgressAt, type ClassifyOptions } from "./classify.js";
export { isLangGraphWatchError, LangGraphWatchError, type LangGraphWatchErrorCode } from "./errors.js";
export type { Finding, FindingCounts, FindingKind, LangGraphRunsReport, ServerRun, ServerSnapshot, ServerThread } from "./types.js";
export { LangGraphWatcher, type CancelMode, type CancelOutcome, type LangGraphWatcherOptions } from "./watcher.js";
export { watcherFromConfig } from "./from-config.js";
export { toLangGraphRunsView, WATCHER_OFF, type FindingView, type LangGraphRunsView } from "./view.js";

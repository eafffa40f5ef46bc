/** A watcher from the config, or undefined when LANGGRAPH_API_URL is unset. */
import type { Config } from "../config/index.js";
import type { Logger } from "../logging/index.js";
import { LangGraphWatcher } from "./watcher.js";

export function watcherFromConfig(config: Config, logger: Logger): LangGraphWatcher | undefined {
  if (!config.langgraphApiUrl) return undefined;
  return new LangGraphWatcher({
    apiUrl: config.langgraphApiUrl, apiKey: config.langgraphApiKey,
    stuckAfterMs: config.langgraphStuckAfterMs, pollMs: config.langgraphPollMs, logger,
  });
}

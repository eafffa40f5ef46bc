export * from "./types.js";
export { assertAgentName, MAX_AGENT_NAME, UNPRINTABLE } from "./agent-name.js";
export { isMemoryPath } from "./location.js";
export * from "./fleet-types.js";
export * from "./perf-types.js";
export * from "./traces-types.js";
export * from "./notify-types.js";
export { openStore, type OpenStoreOptions } from "./open-store.js";
export { storageRefusal, storageWhere, type StorageRefusal } from "./refusal.js";

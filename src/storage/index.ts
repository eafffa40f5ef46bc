export * from "./types.js";
export { SharedState, assertAgentName, MAX_AGENT_NAME, type SharedStateOptions } from "./sqlite/shared-state.js";
export { LockedSqliteSaver } from "./sqlite/locked-saver.js";
export { openDatabase, isMemoryPath, type Db } from "./sqlite/open.js";
export { SCHEMA_VERSION, schemaVersion } from "./sqlite/migrations.js";
export * from "./fleet-types.js";
export * from "./perf-types.js";
export * from "./traces-types.js";

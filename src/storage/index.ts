export * from "./types.js";
export { SharedState, type SharedStateOptions } from "./sqlite/shared-state.js";
export { assertAgentName, MAX_AGENT_NAME, UNPRINTABLE } from "./agent-name.js";
export { LockedSqliteSaver } from "./sqlite/locked-saver.js";
export { openDatabase, isMemoryPath, type Db } from "./sqlite/open.js";
export { SCHEMA_VERSION, schemaVersion } from "./sqlite/migrations.js";
export * from "./fleet-types.js";
export * from "./perf-types.js";
export * from "./traces-types.js";

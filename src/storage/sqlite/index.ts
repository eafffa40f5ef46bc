/** The SQLite backend's internals, for its own tests, benches and the diagnostics that read the file directly. */
export { SharedState, type SharedStateOptions } from "./shared-state.js";
export { LockedSqliteSaver } from "./locked-saver.js";
export { openDatabase, isMemoryPath, type Db } from "./open.js";
export { SCHEMA_VERSION, schemaVersion } from "./migrations.js";

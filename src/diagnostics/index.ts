/**
 * Diagnostics as plain functions (db-check, doctor, raw state, log files) for the CLI and the HTTP server.
 * The one place outside src/storage/sqlite that reads the SQLite file directly (through
 * storage/sqlite/index.js): db-check and doctor must work on a broken, foreign or newer file that
 * openStore() would refuse.
 */
export * from "./types.js";
export { inspectDbFile, type DbFileInfo, type HeaderKind } from "./db-file.js";
export { openReadOnly, readAgentRecords, tableRowCounts, hasTable } from "./db-open.js";
export { checkIntegrity, type IntegrityResult } from "./integrity.js";
export { probeReads, probeWrite, type ReadProbe, type WriteProbe } from "./probe.js";
export { checkDatabase, probeTimeoutFor, type DbCheckOptions, type DbCheckReport, type CheckpointStats } from "./db-check.js";
export { checkPostgres, type PgCheckReport } from "./pg-check.js";
export { checkAgents, type AgentCheckOptions } from "./agent-checks.js";
export { runDoctor, type DoctorOptions, type DoctorReport } from "./doctor.js";
export { readRawState, type RawState, type RawStateOptions } from "./raw-state.js";
export { rawSystemState, readSupervisorRecordFile } from "./supervisor-record.js";
export * from "./logs/index.js";
export { readPgRawState, type PgRawState } from "./pg-raw-state.js";
export { runPgDoctor, type PgDoctorOptions, type PgDoctorReport } from "./pg-doctor.js";
